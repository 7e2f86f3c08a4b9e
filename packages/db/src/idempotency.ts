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
  await addIdempotencyHeaders(db);
}

/** Migration body: the headers of a stored answer (Location, ETag), replayed with it. */
export async function addIdempotencyHeaders(db: Kysely<any>): Promise<void> {
  await sql`alter table idempotency_keys add column if not exists headers jsonb`.execute(db);
}

/** What a request with an Idempotency-Key finds (claimKey). */
export type KeyClaim =
  | { kind: 'claimed' }
  | { kind: 'replay'; status: number; body: unknown; headers: Record<string, string> }
  | { kind: 'reused' }
  | { kind: 'in_progress' };

/** A claim left pending this long belongs to a request that died: it may be taken over. */
const STALE_CLAIM_SECONDS = 300;

/**
 * Claims (scope, key) for a request about to run, when no answer is stored yet: a pending row
 * (status 0) that a concurrent retry sees as in progress. A stored answer is returned for
 * replay; the key with another request is refused.
 */
export async function claimKey(
  db: Executor<any>,
  request: { scope: string; key: string; hash: string },
): Promise<KeyClaim> {
  const claimed = await sql<{ key: string }>`
    insert into idempotency_keys (scope, key, request_hash, status, body)
    values (${request.scope}, ${request.key}, ${request.hash}, 0, 'null'::jsonb)
    on conflict (scope, key) do update set created_at = now()
      where idempotency_keys.status = 0
        and idempotency_keys.request_hash = excluded.request_hash
        and idempotency_keys.created_at < now() - make_interval(secs => ${STALE_CLAIM_SECONDS})
    returning key`.execute(db);
  if (claimed.rows.length > 0) return { kind: 'claimed' };
  const stored = await sql<{ request_hash: string; status: number; body: unknown; headers: unknown }>`
    select request_hash, status, body, headers from idempotency_keys
    where scope = ${request.scope} and key = ${request.key}`.execute(db);
  const row = stored.rows[0];
  if (!row) return claimKey(db, request); // released meanwhile: try again
  if (row.request_hash !== request.hash) return { kind: 'reused' };
  if (row.status === 0) return { kind: 'in_progress' };
  return {
    kind: 'replay',
    status: row.status,
    body: row.body,
    headers: (row.headers ?? {}) as Record<string, string>,
  };
}

/** Stores the answer of a claimed key: every retry from now on gets it. */
export async function storeAnswer(
  db: Executor<any>,
  request: { scope: string; key: string },
  answer: { status: number; body: unknown; headers: Record<string, string> },
): Promise<void> {
  await sql`
    update idempotency_keys
    set status = ${answer.status}, body = ${JSON.stringify(answer.body)}::jsonb,
        headers = ${JSON.stringify(answer.headers)}::jsonb
    where scope = ${request.scope} and key = ${request.key} and status = 0`.execute(db);
}

/** Gives a claimed key back (the request failed and created nothing): a retry runs again. */
export async function releaseKey(db: Executor<any>, request: { scope: string; key: string }): Promise<void> {
  await sql`delete from idempotency_keys where scope = ${request.scope} and key = ${request.key} and status = 0`.execute(
    db,
  );
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
