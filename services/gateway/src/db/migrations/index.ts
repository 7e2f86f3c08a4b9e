import type { Migrations } from '@tthc/db';
import * as init from './202611230001_init';
import * as actingOfficer from './202612010001_acting_officer';

export { SCHEMA } from '../schema';
export const migrations: Migrations = {
  '202611230001_init': init,
  '202612010001_acting_officer': actingOfficer,
};
