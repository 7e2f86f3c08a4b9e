import type { BusTables } from '@tthc/bus';
import type { Generated } from 'kysely';

export const SCHEMA = 'kpi';

/** Dossiers received per agency and civil day (Asia/Ho_Chi_Minh). */
export interface ReceivedDailyTable {
  agency_code: string;
  day: string;
  received: number;
}

/** The procedures as the catalogue last announced them (denominators of online-service indicators). */
export interface ProcedureFactTable {
  code: string;
  version: number;
  field_code: string | null;
  agency_code: string | null;
  online_level: string | null;
  status: 'published' | 'suspended' | 'abolished';
  updated_at: Generated<Date>;
}

export interface KpiDb extends BusTables {
  received_daily: ReceivedDailyTable;
  procedure_facts: ProcedureFactTable;
}
