// Talking to a Postgres: connect as user postgres, make sure the database exists.
import fs from 'node:fs';
import pg from 'pg';
import { maskUrl } from './secrets';

export const LOCAL_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** `url` with its database replaced by `database`. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function embeddedUrl(port: number, password: string, database: string): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

async function connect(connectionString: string, timeoutMs: number): Promise<pg.Client> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw err;
  }
  return client;
}

/** Thrown (as `code`) when the server on a port is not the one on our data dir. */
export const WRONG_SERVER = 'WRONG_SERVER';

export interface EnsureDatabaseOptions {
  /** A URL of a role that may create databases, on its maintenance database. */
  adminUrl: string;
  database: string;
  /** When set, the server must serve this data directory (not another one on the same port). */
  dataDir?: string | undefined;
  timeoutMs?: number;
}

/** Creates `database` unless it exists; safe against a concurrent creation. */
export async function ensureDatabase({
  adminUrl,
  database,
  dataDir,
  timeoutMs = 3000,
}: EnsureDatabaseOptions): Promise<void> {
  const client = await connect(adminUrl, timeoutMs);
  try {
    if (dataDir) {
      // make sure we talk to the server on our data dir, not another one on the port
      const { rows } = await client.query<{ data_directory: string }>('SHOW data_directory');
      const served = rows[0]?.data_directory ?? '';
      if (fs.realpathSync(served) !== fs.realpathSync(dataDir)) {
        throw Object.assign(new Error(`the Postgres on that port serves ${served}, not ${dataDir}`), {
          code: WRONG_SERVER,
        });
      }
    }
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code !== '42P04' && code !== '23505') throw err; // created concurrently
      }
    }
  } finally {
    await client.end().catch(() => {});
  }
}

/** Errors that mean "no server there", as opposed to "a server that will not have us". */
const NOTHING_THERE = /ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|timeout/i;

/**
 * The Postgres answering at `probeUrl` (by default 127.0.0.1:5432 as user postgres without a
 * password), with `database` created in it; null when none answers or it refuses us (said in
 * `log`, since a server is there).
 */
export async function findLocalPostgres(
  database: string,
  probeUrl = LOCAL_POSTGRES_URL,
  log: (msg: string) => void = () => {},
): Promise<string | null> {
  try {
    await ensureDatabase({ adminUrl: probeUrl, database, timeoutMs: 1000 });
    return withDatabase(probeUrl, database);
  } catch (err) {
    const e = err as Error & { code?: string };
    if (!NOTHING_THERE.test(`${e.code ?? ''} ${e.message}`)) {
      log(
        `the Postgres at ${maskUrl(probeUrl)} answers but will not have us (${e.message}); not using it (set DATABASE_URL to use it)`,
      );
    }
    return null;
  }
}
