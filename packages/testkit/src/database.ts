import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Environment through which the global setup hands the harness to each test file. */
export const TEST_ENV = {
  adminUrl: 'TTHC_TEST_ADMIN_URL',
  templateDb: 'TTHC_TEST_TEMPLATE_DB',
  redisUrl: 'TTHC_TEST_REDIS_URL',
  runId: 'TTHC_TEST_RUN_ID',
} as const;

export function databaseUrl(adminUrl: string, database: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function createDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
  await admin(adminUrl, async (c) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`create database ${ident(name)}${template ? ` template ${ident(template)}` : ''}`);
        return;
      } catch (err) {
        // Another copy of the same template may hold it for a moment (55006: object in use).
        if ((err as { code?: string }).code === '55006' && attempt < 20) {
          await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
          continue;
        }
        throw err;
      }
    }
  });
  return databaseUrl(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await admin(adminUrl, async (c) => {
    await c.query(`drop database if exists ${ident(name)} with (force)`);
  });
}

/** Drops the databases an earlier, interrupted run of this harness left behind. */
export async function dropDatabasesLike(adminUrl: string, prefix: string): Promise<number> {
  return admin(adminUrl, async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      'select datname from pg_database where datname like $1',
      [`${prefix.replace(/[%_]/g, '\\$&')}%`],
    );
    for (const r of rows) await c.query(`drop database if exists ${ident(r.datname)} with (force)`);
    return rows.length;
  });
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop: () => Promise<void>;
}

/**
 * A fresh database for one test file, cloned from the template the global setup migrated once.
 * Without the global setup (a package's own tests), an empty database is created instead.
 */
export async function createTestDatabase(env: NodeJS.ProcessEnv = process.env): Promise<TestDatabase> {
  const adminUrl = env[TEST_ENV.adminUrl];
  if (!adminUrl) throw new Error('test harness not set up: run the tests through the root jest config');
  const template = env[TEST_ENV.templateDb];
  const name = uniqueName(`tthc_t_${env[TEST_ENV.runId] ?? 'x'}`);
  const url = await createDatabase(adminUrl, name, template);
  return { url, name, drop: () => dropDatabase(adminUrl, name) };
}

/** Drops test databases left by runs that ended more than two hours ago (killed runs leave them). */
export async function dropStaleTestDatabases(adminUrl: string, maxAgeMs = 2 * 3600_000): Promise<number> {
  return admin(adminUrl, async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      "select datname from pg_database where datname like 'tthc\\_t%'",
    );
    let dropped = 0;
    for (const { datname } of rows) {
      // Names carry the base-36 creation time: tthc_t_<run>_<time>_<rand> or tthc_tpl_<time><rand>.
      const stamp =
        /_([0-9a-z]{8})_[0-9a-f]{8}$/.exec(datname)?.[1] ?? /^tthc_tpl_([0-9a-z]{8})/.exec(datname)?.[1];
      const created = stamp ? parseInt(stamp, 36) : NaN;
      if (Number.isFinite(created) && Date.now() - created > maxAgeMs) {
        await c.query(`drop database if exists ${ident(datname)} with (force)`);
        dropped++;
      }
    }
    return dropped;
  });
}
