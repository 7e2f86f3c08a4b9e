import type { Migrations } from '@tthc/db';
import * as init from './202611230001_init';
import * as eventSchemaVersion from './202611300001_event_schema_version';
import * as reportAgency from './202611300002_report_agency';

export { SCHEMA } from '../schema';
export const migrations: Migrations = {
  '202611230001_init': init,
  '202611300001_event_schema_version': eventSchemaVersion,
  '202611300002_report_agency': reportAgency,
};
