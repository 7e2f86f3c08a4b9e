import { createHash } from 'node:crypto';
import { sql, type Generated, type Kysely } from 'kysely';
import { withTransaction, type Executor } from './database';

/** The stored answers of creating requests, by caller scope and Idempotency-Key. */
export interface IdempotencyKeyTable {
  scope: string;
  key: string;
  request_hash: string;
  status: number;
  body: unknown;
  created_at: Generated<Date>;
}
export interface IdempotencyTables {
  idempotency_keys: IdempotencyKeyTable;
}

/** Migration body creating the table (use inside a service's migration). */
export async function createIdempotencyTable(db: Kysely<any>): Promise<void> {
  await sql`
    create table if not exists idempotency_keys (
      scope text not null, key text not null, request_hash text not null,
      status integer not null, body jsonb not null, created_at timestamptz not null default now(),
      primary key (scope, key))`.execute(db);
}

/** The same key came back with a different request: the caller reused it by mistake. */
export class IdempotencyKeyReused extends Error {
  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was used with a different request`);
  }
}

export function requestHash(body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(body ?? null))
    .digest('hex');
}

/**
 * Runs a creating request once per (scope, key): the first run's answer is stored in the same
 * transaction as what it created, and a retry (even one arriving while the first runs: a
 * transaction-scoped advisory lock makes it wait) gets that answer back and creates nothing.
 * The same key with another request is refused.
 */
export async function runOnce<T>(
  db: Executor<any>,
  request: { scope: string; key: string; hash: string },
  run: (tx: Executor<any>) => Promise<{ status: number; body: T }>,
): Promise<{ status: number; body: T; replayed: boolean }> {
  return withTransaction(db as Kysely<IdempotencyTables>, async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`${request.scope}:${request.key}`}, 0))`.execute(
      tx,
    );
    const stored = await tx
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('scope', '=', request.scope)
      .where('key', '=', request.key)
      .executeTakeFirst();
    if (stored) {
      if (stored.request_hash !== request.hash) throw new IdempotencyKeyReused(request.key);
      return { status: stored.status, body: stored.body as T, replayed: true };
    }
    const answer = await run(tx);
    await tx
      .insertInto('idempotency_keys')
      .values({
        scope: request.scope,
        key: request.key,
        request_hash: request.hash,
        status: answer.status,
        body: JSON.stringify(answer.body),
      })
      .execute();
    return { ...answer, replayed: false };
  });
}
