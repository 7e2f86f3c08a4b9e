import type { BusTables } from '@tthc/bus';
import type { Generated } from 'kysely';

export const SCHEMA = 'reports';

export type ReportStatus = 'queued' | 'running' | 'done' | 'failed';

export interface ReportTable {
  id: string;
  kind: string;
  params: unknown;
  /** The agency reported on (null: the whole province): who may see the report. */
  agency_code: string | null;
  status: ReportStatus;
  artifact: unknown | null;
  error: string | null;
  requested_by: string;
  created_at: Generated<Date>;
  finished_at: Date | null;
}

export interface ReportsDb extends BusTables {
  reports: ReportTable;
}
