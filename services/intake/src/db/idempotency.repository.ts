import type { Executor } from '@tthc/db';
import { sql } from 'kysely';
import type { IntakeDb } from './schema';

/**
 * Serializes requests with the same key (a transaction-scoped advisory lock), so a retry that
 * arrives while the first is running waits for it and then reads its answer.
 */
export async function lockKey(db: Executor<IntakeDb>, scope: string, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`${scope}:${key}`}, 0))`.execute(db);
}

export async function findStoredResponse(db: Executor<IntakeDb>, scope: string, key: string) {
  return db.selectFrom('idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
}

export async function storeResponse(
  db: Executor<IntakeDb>,
  row: { scope: string; key: string; request_hash: string; status: number; body: unknown },
): Promise<void> {
  await db
    .insertInto('idempotency_keys')
    .values({ ...row, body: JSON.stringify(row.body) })
    .execute();
}
