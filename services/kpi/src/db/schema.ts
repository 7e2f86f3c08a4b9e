import type { BusTables, DeadLetterTables } from '@tthc/bus';
import type { ColumnType, Generated } from 'kysely';

export const SCHEMA = 'kpi';

/** Dates come back as 'YYYY-MM-DD' strings (packages/db sets the parser). */
type Day = ColumnType<string, string, string>;
type DayOrNull = ColumnType<string | null, string | null, string | null>;

/** Every dossier event received, with the payload at its contract version: the log facts are folded from. */
export interface DossierEventTable {
  event_id: string;
  type: string;
  dossier_id: string;
  dossier_version: number;
  agency_code: string;
  field_code: string;
  channel: string;
  occurred_at: Date;
  schema_version: number;
  payload: unknown;
}

export interface FeedbackEventTable {
  event_id: string;
  type: string;
  feedback_id: string;
  agency_code: string;
  occurred_at: Date;
  schema_version: number;
  payload: unknown;
}

/** One row per dossier: its timeline folded from its events (domain/timeline.ts), plus derived columns. */
export interface DossierTable {
  dossier_id: string;
  code: string;
  procedure_code: string;
  procedure_version: number | null;
  field_code: string;
  agency_code: string;
  receiving_agency_code: string;
  channel: string;
  home_service: boolean | null;
  authority_level: string | null;
  online_level: string | null;
  legacy_level: number | null;
  fee_bearing: boolean | null;
  result_is_paper: boolean | null;
  processing_time: unknown;
  population_data_used: boolean | null;
  fees_due: number | null;
  components: unknown;
  rule_set_id: string | null;
  submitted_at: Date | null;
  received_at: Date | null;
  received_day: DayOrNull;
  receipt_due_at: Date | null;
  rescheduled_at: Date | null;
  rescheduled_due_at: Date | null;
  resolved_at: Date | null;
  e_result: boolean | null;
  result_digitized: boolean | null;
  returned_at: Date | null;
  withdrawn_at: Date | null;
  stopped_at: Date | null;
  refused_at: Date | null;
  first_paid_at: Date | null;
  first_online_paid_at: Date | null;
  national_synced_at: Date | null;
  paid_amount: number;
  rating: string | null;
  rated_at: Date | null;
  first_complaint_at: Date | null;
  complaints: number;
  status: string | null;
  last_version: number;
  ended_at: Date | null;
  ended_day: DayOrNull;
  end_kind: string | null;
  legal_outcome: string | null;
  indicator_outcome: string | null;
  legal_due_at: DayOrNull;
  legal_clock: boolean;
  supplement_requests: number;
  /** daterange as text ('[2026-01-05,2026-02-01)'); written through sql in the repository. */
  open_span: string | null;
  /** daterange as text: the days at whose end the dossier is in progress (domain/stock-spans.ts). */
  progress_span: string | null;
  /** datemultirange as text: the days at whose end it is in progress and overdue (legal view); null: not judged yet. */
  legal_overdue_days: string | null;
  /** The same in the indicator view. */
  ind_overdue_days: string | null;
  /** Its rollup changes after their day are kept (rollup_*_late); false: folded before they were. */
  late_kept: Generated<boolean>;
  updated_at: Generated<Date>;
}

export interface DossierWaitTable {
  dossier_id: string;
  seq: number;
  kind: 'supplement' | 'payment';
  started_at: Date;
  ended_at: Date | null;
  within_legal_window: boolean | null;
}

export interface DossierDueDateTable {
  dossier_id: string;
  version: number;
  at: Date;
  legal_due_at: Date | null;
  due_at: Date | null;
}

interface RollupKey {
  day: Day;
  agency_code: string;
  field_code: string;
  procedure_code: string;
  authority_level: string;
  channel: string;
}

export interface RollupReceivedTable extends RollupKey {
  received: number;
  received_online: number;
  received_direct_postal: number;
  fee_bearing: number;
  paid_online: number;
  digitized: number;
  reused: number;
  citizen_store: number;
  population_known: number;
  population_used: number;
  synced_national: number;
}

export interface RollupEndedTable extends RollupKey {
  ended: number;
  resolved: number;
  legal_early: number;
  legal_on_time: number;
  legal_late: number;
  ind_early: number;
  ind_on_time: number;
  ind_late: number;
  e_result: number;
  result_digitized: number;
  dissatisfied: number;
  satisfied: number;
}

/** A change of a rollup day's row made on a later day (domain/late-changes.ts). */
export interface RollupReceivedLateTable extends RollupReceivedTable {
  changed_day: Day;
}

export interface RollupEndedLateTable extends RollupEndedTable {
  changed_day: Day;
}

/**
 * Changes of the stocks per day, month or year (migration 202612040101), appended by a trigger on
 * dossiers and folded per key by a compaction (202612070101): a key's stock change is its rows' sum.
 */
export interface StockDeltaTable {
  grain: 'd' | 'm' | 'y';
  start: Day;
  agency_code: string;
  field_code: string;
  procedure_code: string;
  authority_level: string;
  channel: string;
  in_progress: number;
  legal_overdue: number;
  ind_overdue: number;
  /** Appended by the trigger and not yet folded with its key's other rows (compact_stock_deltas). */
  pending: Generated<boolean>;
}

/** A procedure version as the catalogue published it, valid from valid_from until the next version's. */
export interface ProcedureVersionTable {
  code: string;
  version: number;
  procedure_id: string;
  name: string;
  field_code: string;
  deciding_agency_code: string;
  receiving_agency_code: string;
  authority_level: string;
  online_level: string;
  legacy_level: number | null;
  fee_bearing: boolean;
  online_payment: boolean | null;
  complete: boolean;
  result_is_paper: boolean | null;
  decision_number: string;
  decision_signed_on: DayOrNull;
  national_published_on: DayOrNull;
  legal_basis_effective_from: DayOrNull;
  valid_from: Day;
  valid_to: DayOrNull;
  event_version: number;
}

export interface ProcedureStatusChangeTable {
  code: string;
  effective_from: Day;
  status: 'published' | 'suspended' | 'abolished';
  version: number;
  decision_number: string;
  event_version: number;
}

export interface FeedbackTable {
  feedback_id: string;
  code: string;
  kind: 'regulation' | 'handling';
  agency_code: string;
  procedure_code: string | null;
  dossier_code: string | null;
  received_at: Date | null;
  due_at: Date | null;
  answered_at: Date | null;
  answered_on_time: boolean | null;
  satisfaction: 'satisfied' | 'normal' | 'not_satisfied' | null;
  rated_at: Date | null;
  updated_at: Generated<Date>;
}

export interface AgencySeenTable {
  code: string;
  first_seen_at: Generated<Date>;
}

export interface ReconciliationRunTable {
  id: string;
  trigger: 'nightly' | 'on_demand';
  from_day: Day;
  to_day: Day;
  agency_codes: string[] | null;
  status: 'queued' | 'running' | 'done' | 'failed';
  requested_by: string;
  created_at: Generated<Date>;
  finished_at: Date | null;
  cells: number | null;
  differing_cells: number | null;
  drift: unknown;
  error: string | null;
  repair_status: 'queued' | 'running' | 'done' | 'failed' | null;
  repaired_at: Date | null;
  repair: unknown;
}

/** Numeric columns come back as strings (exact); they are written as strings or numbers. */
type Numeric = ColumnType<string, string | number, string | number>;
type NumericOrNull = ColumnType<string | null, string | number | null, string | number | null>;

/** Who changed what in kpi's own records (targets, frameworks, scores, plan, registers), with the rows before and after. */
export interface KpiAuditTable {
  id: Generated<number>;
  at: Generated<Date>;
  actor: string;
  actor_name: string | null;
  entity: string;
  entity_id: string;
  agency_code: string | null;
  action: string;
  before: unknown;
  after: unknown;
}

export interface TargetTable {
  id: Generated<string>;
  agency_code: string;
  year: number;
  indicator: string;
  comparator: 'at_least' | 'at_most' | 'equal';
  value: Numeric;
  note: string | null;
  updated_by: string;
  updated_at: Generated<Date>;
}

export interface FrameworkTable {
  code: string;
  year: number;
  name: string;
  definition: unknown;
  version: Generated<number>;
  updated_by: string;
  updated_at: Generated<Date>;
}

export interface FrameworkScoreTable {
  framework_code: string;
  year: number;
  agency_code: string;
  criterion: string;
  stage: 'self' | 'appraisal';
  points: Numeric;
  comment: string | null;
  evidence: unknown;
  assessor: string;
  assessor_name: string | null;
  entered_at: Generated<Date>;
}

export interface FrameworkResultTable {
  framework_code: string;
  year: number;
  agency_code: string;
  total: NumericOrNull;
  result: unknown;
  published_by: string;
  published_at: Generated<Date>;
}

export interface PlanTaskTable {
  id: Generated<string>;
  agency_code: string;
  year: number;
  origin: 'own' | 'province';
  assigned_by: string | null;
  title: string;
  owner_unit: string;
  due_on: Day;
  status: 'not_started' | 'in_progress' | 'done';
  completed_on: DayOrNull;
  documents: unknown;
  version: Generated<number>;
  updated_by: string;
  updated_at: Generated<Date>;
}

export interface ReformRegisterTable {
  id: Generated<string>;
  agency_code: string;
  kind: 'document' | 'inspection' | 'communication';
  on_date: Day;
  title: string;
  document_number: string | null;
  findings: number | null;
  details: unknown;
  version: Generated<number>;
  updated_by: string;
  updated_at: Generated<Date>;
}

export interface KpiDb extends BusTables, DeadLetterTables {
  kpi_audit: KpiAuditTable;
  targets: TargetTable;
  frameworks: FrameworkTable;
  framework_scores: FrameworkScoreTable;
  framework_results: FrameworkResultTable;
  plan_tasks: PlanTaskTable;
  reform_registers: ReformRegisterTable;
  reconciliation_runs: ReconciliationRunTable;
  dossier_events: DossierEventTable;
  feedback_events: FeedbackEventTable;
  dossiers: DossierTable;
  dossier_waits: DossierWaitTable;
  dossier_due_dates: DossierDueDateTable;
  rollup_received_daily: RollupReceivedTable;
  rollup_ended_daily: RollupEndedTable;
  rollup_received_late: RollupReceivedLateTable;
  rollup_ended_late: RollupEndedLateTable;
  stock_deltas: StockDeltaTable;
  procedure_versions: ProcedureVersionTable;
  procedure_status_changes: ProcedureStatusChangeTable;
  feedbacks: FeedbackTable;
  agencies_seen: AgencySeenTable;
}
