import type { BusTables } from '@tthc/bus';
import type { IdempotencyTables } from '@tthc/db';
import type { Channel, DossierStatus, OnlineLevel } from '@tthc/contracts';
import type { Generated } from 'kysely';

export const SCHEMA = 'intake';

/**
 * The intake's copy of the catalogue, kept from procedure.* events (never read across schemas):
 * every published version with the date it takes effect, so a dossier is received under the
 * version in force on its receipt date.
 */
export interface ProcedureVersionCopyTable {
  code: string;
  version: number;
  procedure_id: string;
  name: string;
  field_code: string;
  deciding_agency_code: string;
  receiving_agency_code: string;
  online_level: OnlineLevel;
  methods: unknown;
  components: unknown;
  inter_agency: unknown;
  fee_bearing: boolean;
  authority_level: string | null;
  legacy_level: number | null;
  result_is_paper: boolean | null;
  online_payment: boolean | null;
  valid_from: string;
  updated_at: Generated<Date>;
}

/** Status changes of a procedure from their effective dates (published, suspended, abolished). */
export interface ProcedureStatusCopyTable {
  code: string;
  effective_from: string;
  status: 'published' | 'suspended' | 'abolished';
  event_version: number;
}

/** The national portal's status vocabulary, defined once in the contracts. */
export type { DossierStatus };

export interface DossierTable {
  id: string;
  /** The dossier code once received; a portal submission carries its provisional reference until then. */
  code: string;
  /** The provisional reference of a portal submission (kept after the code is issued). */
  reference: string | null;
  procedure_code: string;
  procedure_version: number;
  procedure_name: string;
  field_code: string;
  /** The agency that handles (decides) the dossier; the code carries the receiving agency. */
  agency_code: string;
  receiving_agency_code: string;
  channel: Channel;
  home_service: Generated<boolean>;
  /** The applicant's identity was taken from the national population database (VNeID). */
  population_data_used: Generated<boolean>;
  status: DossierStatus;
  applicant_kind: 'person' | 'organisation';
  applicant_name: string;
  /** Personal data (ID number, phone, e-mail, address): returned only to handlers, never logged. */
  applicant_contact: unknown;
  /** Normalized second factors for citizen tracking. */
  applicant_phone: string | null;
  applicant_id_number: string | null;
  components: unknown;
  case_name: string | null;
  fees_due: Generated<number>;
  processing_time: unknown;
  rule_set_id: string;
  submitted_at: Date;
  received_at: Date | null;
  /** The current appointment the desk works to (a rescheduled date, moved by waits). */
  due_at: Date | null;
  /** The appointment printed at receipt, written once. */
  original_due_at: Date | null;
  /** What timeliness is judged against: restarted by a supplement, moved by waits, never by a reschedule. */
  legal_due_at: Date | null;
  /** When the clock stopped for the applicant (supplement or payment asked for); null while it runs. */
  waiting_since: Date | null;
  ended_at: Date | null;
  timeliness: 'early' | 'on_time' | 'late' | null;
  current_unit: string | null;
  current_officer: string | null;
  supplement_count: Generated<number>;
  reschedule_count: Generated<number>;
  result: unknown | null;
  return_info: unknown | null;
  source_system: string | null;
  source_id: string | null;
  version: number;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface DossierHistoryTable {
  id: Generated<string>;
  dossier_id: string;
  dossier_version: number;
  action: string;
  from_status: DossierStatus | null;
  to_status: DossierStatus;
  actor: string;
  actor_role: string | null;
  actor_agency: string | null;
  /** The person acting, when known (the actor is then the channel). */
  actor_name: string | null;
  at: Date;
  payload: unknown;
}

export interface DossierSupplementTable {
  id: Generated<string>;
  dossier_id: string;
  requested_at: Date;
  reason: string;
  items: unknown;
  within_legal_window: boolean;
  due_at_before: Date | null;
  completed_at: Date | null;
  due_at_after: Date | null;
}

export interface DossierStepTable {
  id: Generated<string>;
  dossier_id: string;
  seq: number;
  agency_code: string;
  unit: string | null;
  officer: string | null;
  task: string;
  mode: 'sequential' | 'parallel' | 'internal';
  assigned_at: Date;
  due_at: Date | null;
  completed_at: Date | null;
  /** How the step ended: handed over onward, completed, returned for correction, closed with the dossier. */
  outcome: StepOutcome | null;
  completed_by: string | null;
  note: string | null;
  /** The step's agency owns neither side of the dossier (set on insert; see the list indexes migration). */
  foreign_agency: Generated<boolean>;
}

export type StepOutcome = 'handed_over' | 'completed' | 'returned' | 'closed';

export interface DossierPaymentTable {
  id: string;
  dossier_id: string;
  amount: number;
  method: string;
  online: boolean;
  receipt_number: string | null;
  paid_at: Date;
  recorded_by: string;
}

export interface DossierRatingTable {
  dossier_id: string;
  rating: 'satisfied' | 'normal' | 'not_satisfied';
  comment: string | null;
  rated_at: Date;
}

export interface RuleSetTable {
  id: string;
  name: string;
  legal_basis: string;
  effective_from: string;
  params: unknown;
  created_at: Generated<Date>;
}

export interface CalendarOverrideTable {
  date: string;
  kind: 'holiday' | 'working_day';
  reason: string;
  source: string | null;
  updated_by: string;
  updated_at: Generated<Date>;
}

/** Serial of dossier codes per agency and receipt day; a row lock makes it safe under concurrency. */
export interface DossierSerialTable {
  agency_code: string;
  day: string;
  last_serial: number;
}

export interface PersonalDataAccessTable {
  id: Generated<string>;
  /** The dossier whose applicant, or the feedback whose sender, was read (one of the two). */
  dossier_id: string | null;
  feedback_id: string | null;
  actor: string;
  actor_role: string | null;
  actor_agency: string | null;
  /** Where the request came from (the client's address as the gateway established it). */
  client_address: string | null;
  purpose: string;
  at: Generated<Date>;
}

export interface AdminAuditTable {
  id: Generated<string>;
  actor: string;
  action: string;
  target: string;
  detail: unknown;
  at: Generated<Date>;
}

export interface IntakeDb extends BusTables, IdempotencyTables {
  personal_data_access: PersonalDataAccessTable;
  admin_audit: AdminAuditTable;
  procedure_versions: ProcedureVersionCopyTable;
  procedure_status: ProcedureStatusCopyTable;
  dossiers: DossierTable;
  dossier_serials: DossierSerialTable;
  dossier_history: DossierHistoryTable;
  dossier_supplements: DossierSupplementTable;
  dossier_steps: DossierStepTable;
  dossier_payments: DossierPaymentTable;
  dossier_ratings: DossierRatingTable;
  rule_sets: RuleSetTable;
  calendar_overrides: CalendarOverrideTable;
}
