import type { Executor } from '@tthc/db';
import type { ColumnType, Generated } from 'kysely';
import type { IntakeDb } from '../../db/schema';

export type Channel = 'sms' | 'email' | 'webhook';
export type Audience = 'citizen' | 'officer';
export type RecipientRole = 'applicant' | 'officer' | 'unit_head';
export type MessageStatus = 'queued' | 'sent' | 'delivered' | 'failed' | 'permanently_failed';

/** One version of the text of a message kind on a channel; each edit appends a version. */
export interface NotificationTemplateTable {
  id: Generated<string>;
  event: string;
  channel: Channel;
  version: number;
  subject: string | null;
  body: string;
  note: string | null;
  created_by: string;
  created_at: Generated<Date>;
}

/** Agency-level options; the row `default` holds the department-wide defaults. */
export interface NotificationAgencySettingsTable {
  agency_code: string;
  sms_unaccented: boolean;
  result_place: string | null;
  reminder_windows: number[] | null;
  updated_by: string;
  updated_at: Date;
}

/** On/off per agency, message kind and channel; no row means the built-in default. */
export interface NotificationSwitchTable {
  agency_code: string;
  event: string;
  channel: Channel;
  enabled: boolean;
  updated_by: string;
  updated_at: Date;
}

/** Reminder windows of one procedure (working days before the due date), over the agency's. */
export interface NotificationProcedureSettingsTable {
  procedure_code: string;
  reminder_windows: number[];
  updated_by: string;
  updated_at: Date;
}

/** The channels an applicant accepts for one dossier; no row means every channel with an address. */
export interface NotificationPreferenceTable {
  dossier_id: string;
  channels: Channel[];
  updated_by: string;
  updated_at: Date;
}

/** Where an officer gets reminders. Personal data: returned only on the admin API, never logged. */
export interface OfficerContactTable {
  officer: string;
  full_name: string;
  agency_code: string;
  unit: string | null;
  unit_head: boolean;
  email: string | null;
  channels: Channel[];
  active: boolean;
  updated_by: string;
  updated_at: Date;
}

export interface NotificationMessageTable {
  id: string;
  /** Creation order, where the clock ties (one change writing several messages). */
  seq: Generated<number>;
  /** One message per source (event, reminder window, digest), recipient and channel. */
  dedupe_key: string;
  audience: Audience;
  dossier_id: string | null;
  dossier_code: string | null;
  agency_code: string;
  event: string;
  channel: Channel;
  recipient_role: RecipientRole;
  /** The officer id for officer messages; null for the applicant. */
  recipient_ref: string | null;
  /** Phone, e-mail or recipient id: personal data, masked in every answer, never logged. */
  destination: string;
  template_version: number;
  subject: string | null;
  body: string;
  status: MessageStatus;
  attempts: Generated<number>;
  /** Bumped by a manual retry, so the new send job gets a new id. */
  send_round: Generated<number>;
  provider: string | null;
  provider_message_id: string | null;
  last_error: string | null;
  enqueued_at: Date | null;
  created_at: Date;
  sent_at: Date | null;
  delivered_at: Date | null;
  failed_at: Date | null;
  permanently_failed_at: Date | null;
  alert_acknowledged_at: Date | null;
  alert_acknowledged_by: string | null;
  updated_at: Date;
  /** W3C trace context of the change that wrote it, carried on to its send (null with tracing off). */
  traceparent: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Append-only trail of each message: attempts, provider callbacks, retries, acknowledgements. */
export interface NotificationMessageLogTable {
  id: Generated<string>;
  message_id: string;
  at: Date;
  kind: 'attempt' | 'callback' | 'retry' | 'acknowledge';
  provider: string | null;
  outcome: string;
  detail: string | null;
}

/** A reminder window fired for a dossier and its due date: the key makes it fire once. */
export interface NotificationReminderLogTable {
  dossier_id: string;
  kind: string;
  due_date: string;
  sent_at: Date;
}

export interface NotificationDigestLogTable {
  agency_code: string;
  unit: string;
  day: string;
  sent_at: Date;
}

/** The intake schema with the notification tables (kept apart from schema.ts, which other work edits). */
export type NotificationDb = IntakeDb & {
  notification_templates: NotificationTemplateTable;
  notification_agency_settings: NotificationAgencySettingsTable;
  notification_switches: NotificationSwitchTable;
  notification_procedure_settings: NotificationProcedureSettingsTable;
  notification_preferences: NotificationPreferenceTable;
  officer_contacts: OfficerContactTable;
  notification_messages: NotificationMessageTable;
  notification_message_log: NotificationMessageLogTable;
  notification_reminder_log: NotificationReminderLogTable;
  notification_digest_log: NotificationDigestLogTable;
};

export type NotifyExecutor = Executor<NotificationDb>;

/** The same connection or transaction, typed with the notification tables. */
export const withNotifications = (db: Executor<IntakeDb> | Executor<any>): NotifyExecutor =>
  db as unknown as NotifyExecutor;

/** The intake's own repositories (the admin audit) on a notification transaction: the same connection. */
export const asIntake = (db: NotifyExecutor): Executor<IntakeDb> => db as unknown as Executor<IntakeDb>;
