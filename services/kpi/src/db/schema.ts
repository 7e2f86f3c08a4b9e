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

/** Every dossier event, kept as a fact (the timeline that closed periods are counted from). */
export interface DossierFactTable {
  event_id: string;
  type: string;
  dossier_id: string;
  dossier_version: number;
  agency_code: string;
  field_code: string;
  channel: string;
  occurred_at: Date;
  payload: unknown;
}

export interface FeedbackFactTable {
  event_id: string;
  type: string;
  feedback_id: string;
  agency_code: string;
  occurred_at: Date;
  payload: unknown;
}

export interface KpiDb extends BusTables {
  feedback_facts: FeedbackFactTable;
  dossier_facts: DossierFactTable;
  received_daily: ReceivedDailyTable;
  procedure_facts: ProcedureFactTable;
}
