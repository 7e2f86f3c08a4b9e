import type { Migrations } from '@tthc/db';
import * as init from './202611230001_init';
import * as eventSchemaVersion from './202611300001_event_schema_version';
import * as reportAgency from './202611300002_report_agency';
import * as reportGeneration from './202612010001_report_generation';
import * as reportSchedules from './202612010002_report_schedules';
import * as scheduleOwner from './202612010003_schedule_owner';
import * as reportTemplates from './202612010004_report_templates';
import * as idempotencyKeys from './202612010301_idempotency_keys';
import * as outboxTraceparent from './202612021941_outbox_traceparent';
import * as outboxClaimOrder from './202612060101_outbox_claim_order';

export { SCHEMA } from '../schema';
export const migrations: Migrations = {
  '202611230001_init': init,
  '202611300001_event_schema_version': eventSchemaVersion,
  '202611300002_report_agency': reportAgency,
  '202612010001_report_generation': reportGeneration,
  '202612010002_report_schedules': reportSchedules,
  '202612010003_schedule_owner': scheduleOwner,
  '202612010004_report_templates': reportTemplates,
  '202612010301_idempotency_keys': idempotencyKeys,
  '202612021941_outbox_traceparent': outboxTraceparent,
  '202612060101_outbox_claim_order': outboxClaimOrder,
};
