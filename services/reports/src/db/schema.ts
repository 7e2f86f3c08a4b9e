import type { BusTables } from '@tthc/bus';
import type { ColumnType, Generated } from 'kysely';

export const SCHEMA = 'reports';

/** queued: asked for; collecting: the children gather figures; rendering: the files are made. */
export const REPORT_STATUSES = ['queued', 'collecting', 'rendering', 'done', 'failed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

type DateColumn = ColumnType<string, string, string>;

export interface ReportTable {
  id: string;
  kind: string;
  params: unknown;
  /** The agency reported on (null: the whole province): who may see the report. */
  agency_code: string | null;
  status: ReportStatus;
  artifact: unknown | null;
  /** Why a report failed. */
  error: string | null;
  requested_by: string;
  created_at: Generated<Date>;
  finished_at: Date | null;
  /** The first version's id: a correction is a new version in the same series. */
  series_id: string;
  version: Generated<number>;
  supersedes: string | null;
  change_note: string | null;
  /** What a correction changed against the version it supersedes (figures and narrative). */
  changes: unknown | null;
  period_label: string | null;
  period_from: DateColumn | null;
  period_to: DateColumn | null;
  formats: string[];
  /** Frozen inputs: period, scope, rule-set version, data cut. */
  inputs: unknown | null;
  /** The assembled document (figures and text) every file was rendered from. */
  document: unknown | null;
  data_cut_at: Date | null;
  issued_at: Date | null;
  issued_by: string | null;
  /** The schedule that asked for the report (null: asked by a person). */
  schedule_id: string | null;
}

export interface ReportScheduleTable {
  id: string;
  agency_code: string | null;
  kind: string;
  cadence: 'quarter' | 'half' | 'year';
  basis: 'calendar' | 'statutory';
  formats: string[];
  enabled: boolean;
  created_by: string;
  /** The officer told when a report of the schedule is ready. */
  owner: string;
  created_at: Generated<Date>;
}

export interface ReportTemplateTable {
  /** The agency whose reports use it; '*': the province's. */
  scope: string;
  content: Buffer;
  sha256: string;
  placeholders: string[];
  uploaded_by: string;
  uploaded_at: Date;
}

export interface ReportFileTable {
  report_id: string;
  format: string;
  content_type: string;
  file_name: string;
  sha256: string;
  size: number;
  content: Buffer;
  created_at: Generated<Date>;
}

export interface ReportsDb extends BusTables {
  reports: ReportTable;
  report_files: ReportFileTable;
  report_schedules: ReportScheduleTable;
  report_templates: ReportTemplateTable;
}
