import { createDb, migrateSchema } from '@tthc/db';
import {
  createDatabase,
  dropStaleTestDatabases,
  resolveTestInfra,
  TEST_ENV,
  uniqueName,
} from '@tthc/testkit';
import { serviceSchemas } from './service-schemas';

/**
 * Runs once per Jest run: finds Postgres and Redis, migrates a template database with every
 * service schema, and hands both to the test files (each clones the template).
 */
export default async function globalSetup(): Promise<void> {
  const infra = await resolveTestInfra();
  await dropStaleTestDatabases(infra.adminUrl);
  const runId = uniqueName('r').slice(2).replace(/_/g, '');
  const template = `tthc_tpl_${runId}`;
  const url = await createDatabase(infra.adminUrl, template);
  for (const { schema, migrations } of serviceSchemas) {
    const db = createDb({ connectionString: url, schema, maxConnections: 1 });
    try {
      await migrateSchema(db, schema, migrations);
    } finally {
      await db.destroy();
    }
  }
  process.env[TEST_ENV.adminUrl] = infra.adminUrl;
  process.env[TEST_ENV.templateDb] = template;
  process.env[TEST_ENV.redisUrl] = infra.redisUrl;
  process.env[TEST_ENV.runId] = runId;
  (globalThis as Record<string, unknown>)['__tthcStopInfra'] = infra.stop;
  if (!process.env['CI']) process.stderr.write(`\ntest infrastructure: ${infra.source}\n`);
}
