import type { Executor } from '@tthc/db';
import { sql, type Insertable, type Selectable } from 'kysely';
import type { AdminAuditTable, ApiKeyTable, GatewayDb } from './schema';

export type ApiKeyRow = Selectable<ApiKeyTable>;

export async function insertApiKey(db: Executor<GatewayDb>, row: Insertable<ApiKeyTable>): Promise<void> {
  await db
    .insertInto('api_keys')
    .values(row)
    .onConflict((oc) => oc.column('prefix').doNothing())
    .execute();
}

export async function findApiKeyByPrefix(
  db: Executor<GatewayDb>,
  prefix: string,
): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('prefix', '=', prefix).executeTakeFirst();
}

export async function findApiKey(db: Executor<GatewayDb>, id: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listApiKeys(db: Executor<GatewayDb>): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').selectAll().orderBy('created_at').execute();
}

export async function revokeApiKey(db: Executor<GatewayDb>, id: string, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

/** Last use, at most once a minute per key so a busy key does not write on every request. */
export async function touchApiKey(db: Executor<GatewayDb>, id: string): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('last_used_at', 'is', null),
        eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`),
      ]),
    )
    .execute();
}

export async function audit(db: Executor<GatewayDb>, row: Insertable<AdminAuditTable>): Promise<void> {
  await db
    .insertInto('admin_audit')
    .values({ ...row, detail: JSON.stringify(row.detail ?? {}) })
    .execute();
}

export async function listAudit(db: Executor<GatewayDb>, limit: number) {
  return db.selectFrom('admin_audit').selectAll().orderBy('id', 'desc').limit(limit).execute();
}

/** A page of the key administration log between two instants, in the order it was written. */
export async function auditPage(
  db: Executor<GatewayDb>,
  range: { from: Date; to: Date },
  after: string | null,
  limit: number,
) {
  let q = db
    .selectFrom('admin_audit')
    .selectAll()
    .where('at', '>=', range.from)
    .where('at', '<', range.to)
    .orderBy('id')
    .limit(limit);
  if (after !== null) q = q.where('id', '>', after);
  return q.execute();
}
