import type { Migrations } from '@tthc/db';
import * as init from './202611230001_init';
import * as eventSchemaVersion from './202611300001_event_schema_version';
import * as agencyReceivesFor from './202611300002_agency_receives_for';
import * as contentOnlinePayment from './202611300102_content_online_payment';
import * as idempotencyKeys from './202612010301_idempotency_keys';
import * as nationalImport from './202612020201_national_import';
import * as outboxTraceparent from './202612021941_outbox_traceparent';
import * as outboxClaimOrder from './202612060101_outbox_claim_order';

export { SCHEMA } from '../schema';
export const migrations: Migrations = {
  '202611230001_init': init,
  '202611300001_event_schema_version': eventSchemaVersion,
  '202611300002_agency_receives_for': agencyReceivesFor,
  '202611300102_content_online_payment': contentOnlinePayment,
  '202612010301_idempotency_keys': idempotencyKeys,
  '202612020201_national_import': nationalImport,
  '202612021941_outbox_traceparent': outboxTraceparent,
  '202612060101_outbox_claim_order': outboxClaimOrder,
};
