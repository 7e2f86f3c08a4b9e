import type { Executor } from '@tthc/db';
import type { Generated } from 'kysely';
import type { IntakeDb } from '../../db/schema';

export type FeedbackKind = 'regulation' | 'handling';
export type FeedbackStatus = 'received' | 'assigned' | 'answered' | 'closed';
export type FeedbackTimeliness = 'early' | 'on_time' | 'late';
export type FeedbackSatisfaction = 'satisfied' | 'normal' | 'not_satisfied';

/** A feedback (phản ánh, kiến nghị) about a procedure's regulation or the handling of a dossier. */
export interface FeedbackTable {
  id: string;
  /** PAKN-YYMMDD-NNNN: the receipt date in Việt Nam and a serial that restarts each day. */
  code: string;
  kind: FeedbackKind;
  procedure_code: string;
  dossier_code: string | null;
  /** The agency that must answer. */
  agency_code: string;
  /** Personal data (name, phone, e-mail, address): returned only to handlers, never logged or put in events. */
  sender: unknown;
  content: string;
  /** The rule set in force at receipt, which gave the handling period. */
  rule_set_id: string;
  received_at: Date;
  due_at: Date;
  assigned_unit: string | null;
  assigned_officer: string | null;
  assigned_at: Date | null;
  answer: string | null;
  answered_at: Date | null;
  answered_by: string | null;
  timeliness: FeedbackTimeliness | null;
  /** The sender's rating of the answer, once. */
  satisfaction: FeedbackSatisfaction | null;
  rating_comment: string | null;
  rated_at: Date | null;
  status: FeedbackStatus;
  version: number;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** The trail of a feedback: append-only, like dossier_history. */
export interface FeedbackHistoryTable {
  id: Generated<string>;
  feedback_id: string;
  feedback_version: number;
  action: string;
  from_status: FeedbackStatus | null;
  to_status: FeedbackStatus;
  actor: string;
  actor_role: string | null;
  actor_agency: string | null;
  actor_name: string | null;
  at: Date;
  payload: unknown;
}

/** Serial of feedback codes per receipt day; a row lock makes it safe under concurrency. */
export interface FeedbackSerialTable {
  day: string;
  last_serial: number;
}

/** The intake schema with the feedback tables (kept apart from schema.ts until it lists them). */
export type FeedbackDb = IntakeDb & {
  feedback: FeedbackTable;
  feedback_history: FeedbackHistoryTable;
  feedback_serials: FeedbackSerialTable;
};

/** The same connection or transaction, typed with the feedback tables. */
export const withFeedback = (db: Executor<IntakeDb>): Executor<FeedbackDb> =>
  db as unknown as Executor<FeedbackDb>;
