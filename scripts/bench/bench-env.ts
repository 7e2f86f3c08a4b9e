import { createDb, migrateSchema } from '@tthc/db';
import { createDatabase, dropDatabase, TEST_ENV, uniqueName } from '@tthc/testkit';
import { migrations, SCHEMA } from '../../services/intake/src/db/migrations';

/**
 * What the test harness expects from Jest's global setup, for a benchmark run outside Jest: a
 * template database with the intake schema migrated (from TEST_DATABASE_URL), and the Redis of
 * TEST_REDIS_URL. Returns the function that drops the template again.
 */
export async function benchEnv(): Promise<{ adminUrl: string; url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const template = uniqueName('intakebench');
  const url = await createDatabase(adminUrl, template);
  const db = createDb({ connectionString: url, schema: SCHEMA, maxConnections: 1 });
  try {
    await migrateSchema(db, SCHEMA, migrations);
  } finally {
    await db.destroy();
  }
  process.env[TEST_ENV.adminUrl] = adminUrl;
  process.env[TEST_ENV.templateDb] = template;
  process.env[TEST_ENV.redisUrl] = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  process.env[TEST_ENV.runId] = 'bench';
  return { adminUrl, url, drop: () => dropDatabase(adminUrl, template) };
}
