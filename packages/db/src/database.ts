import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';

// Return bigint counts as numbers (our counts stay far below 2^53) and dates as ISO strings,
// so calendar dates never shift through a local-time Date.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export interface DbOptions {
  connectionString: string;
  /** The Postgres schema this service owns; it becomes the connection's search_path. */
  schema: string;
  maxConnections?: number;
  applicationName?: string;
  /**
   * Just-in-time compilation of queries (Postgres's default: on above its cost threshold). A
   * service whose queries are all short (lists by index, single rows) turns it off: compiling
   * costs tens of milliseconds and a short query never wins them back.
   */
  jit?: boolean;
}

export type Db<DB> = Kysely<DB>;
export type Tx<DB> = Transaction<DB>;
/** Anything a repository can run a query on: the pool or an open transaction. */
export type Executor<DB> = Kysely<DB> | Transaction<DB>;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  return schema;
}

export function createDb<DB>(options: DbOptions): Kysely<DB> {
  const schema = assertSchemaName(options.schema);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? schema,
    // public stays on the path for extensions (unaccent, pg_trgm) installed there.
    options: `-c search_path=${schema},public -c timezone=UTC${options.jit === false ? ' -c jit=off' : ''}`,
  });
  // A client that loses its server (a Postgres restart, a terminated backend) emits 'error': on
  // the pool while idle, on itself while checked out (between the statements of a transaction).
  // Without a listener either crashes the process; with one, the pending query fails, the pool
  // drops the broken client on release and opens a new one for the next query.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

const afterCommitHooks = new WeakMap<object, (() => void)[]>();

/**
 * Runs fn in one transaction; the write and its outbox events commit or roll back together.
 * Given a transaction already, fn joins it, so commands compose (an import of many records
 * is one transaction). Hooks registered with afterCommit run once the outermost one commits.
 */
export async function withTransaction<DB, T>(
  db: Executor<DB>,
  fn: (tx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<DB>);
  let opened: Transaction<DB> | undefined;
  const result = await db.transaction().execute((tx) => {
    opened = tx;
    return fn(tx);
  });
  const hooks = opened ? afterCommitHooks.get(opened) : undefined;
  for (const hook of hooks ?? []) {
    try {
      hook();
    } catch {
      // A hook only hurries work along (a relay, a dispatcher); its failure must not fail a commit that happened.
    }
  }
  return result;
}

/**
 * Runs a hook once the transaction commits (not at all when it rolls back): what a write
 * means for work elsewhere in the process (events to relay, messages to send) is signalled by
 * the write itself, not by each caller remembering to. Outside a transaction it runs at once.
 */
export function afterCommit(db: { isTransaction: boolean }, hook: () => void): void {
  if (!db.isTransaction) {
    hook();
    return;
  }
  const hooks = afterCommitHooks.get(db);
  if (hooks) hooks.push(hook);
  else afterCommitHooks.set(db, [hook]);
}

export async function ping(db: Kysely<any>): Promise<void> {
  await sql`select 1`.execute(db);
}
