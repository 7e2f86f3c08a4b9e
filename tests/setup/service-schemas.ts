import type { Migrations } from '@tthc/db';
import * as catalogue from '../../services/catalogue/src/db/migrations';
import * as intake from '../../services/intake/src/db/migrations';
import * as kpi from '../../services/kpi/src/db/migrations';
import * as reports from '../../services/reports/src/db/migrations';

/** Every service schema with its migrations: the template database holds them all. */
export const serviceSchemas: { schema: string; migrations: Migrations }[] = [
  catalogue,
  intake,
  kpi,
  reports,
].map((m) => ({ schema: m.SCHEMA, migrations: m.migrations }));
