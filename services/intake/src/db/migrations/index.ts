import type { Migrations } from '@tthc/db';
import * as init from './202611230001_init';
import * as seedRulesCalendar from './202611230002_seed_rules_calendar';
import * as feedback from './202611230003_feedback';
import * as accessLog from './202611230005_access_log';
import * as notifications from './202611230006_notifications';
import * as eventSchemaVersion from './202611300001_event_schema_version';
import * as receiptClassification from './202611300002_receipt_classification';
import * as agencyScope from './202611300003_agency_scope';
import * as dossierClock from './202611300004_dossier_clock';
import * as provisionalReference from './202611300005_provisional_reference';
import * as officialDays20242025 from './202611300101_official_days_2024_2025';
import * as listIndexes from './202611300201_list_indexes';
import * as shortSms from './202612010101_short_sms';
import * as actorName from './202612010102_actor_name';
import * as accessClientAddress from './202612010103_access_client_address';
import * as reportReadyTemplate from './202612010104_report_ready_template';
import * as reportFailedTemplate from './202612020202_report_failed_template';
import * as idempotencyHeaders from './202612010301_idempotency_headers';
import * as nationalSync from './202612020101_national_sync';
import * as outboxTraceparent from './202612021941_outbox_traceparent';
import * as outboxClaimOrder from './202612060101_outbox_claim_order';
import * as foreignOpenSteps from './202612030101_foreign_open_steps';

export { SCHEMA } from '../schema';
export const migrations: Migrations = {
  '202611230001_init': init,
  '202611230002_seed_rules_calendar': seedRulesCalendar,
  '202611230003_feedback': feedback,
  '202611230005_access_log': accessLog,
  '202611230006_notifications': notifications,
  '202611300001_event_schema_version': eventSchemaVersion,
  '202611300002_receipt_classification': receiptClassification,
  '202611300003_agency_scope': agencyScope,
  '202611300004_dossier_clock': dossierClock,
  '202611300005_provisional_reference': provisionalReference,
  '202611300101_official_days_2024_2025': officialDays20242025,
  '202611300201_list_indexes': listIndexes,
  '202612010101_short_sms': shortSms,
  '202612010102_actor_name': actorName,
  '202612010103_access_client_address': accessClientAddress,
  '202612010104_report_ready_template': reportReadyTemplate,
  '202612010301_idempotency_headers': idempotencyHeaders,
  '202612020101_national_sync': nationalSync,
  '202612020202_report_failed_template': reportFailedTemplate,
  '202612021941_outbox_traceparent': outboxTraceparent,
  '202612030101_foreign_open_steps': foreignOpenSteps,
  '202612060101_outbox_claim_order': outboxClaimOrder,
};
