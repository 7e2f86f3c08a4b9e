import type { Migrations } from '@tthc/db';
import * as init from './202611230001_init';

export { SCHEMA } from '../schema';
export const migrations: Migrations = {
  '202611230001_init': init,
};
