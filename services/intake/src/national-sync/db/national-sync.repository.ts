import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { sql } from 'kysely';
import type { DossierRow } from '../../db/dossier.repository';
import type { NationalRecord } from '../domain/national-record';
import type { NationalSyncPushTable, SyncExecutor } from './national-sync.schema';

export type PushRow = Pick<
  NationalSyncPushTable,
  'id' | 'dossier_id' | 'dossier_version' | 'reason' | 'record'
> & {
  seq: string;
  attempts: number;
  round: number;
  created_at: Date;
};

/** The mapping in force: the highest version. */
export async function currentMapping(db: SyncExecutor): Promise<{ version: number; document: unknown }> {
  return db
    .selectFrom('national_sync_mappings')
    .select(['version', 'document'])
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
}

export async function mappingVersion(db: SyncExecutor, version: number) {
  return db
    .selectFrom('national_sync_mappings')
    .selectAll()
    .where('version', '=', version)
    .executeTakeFirst();
}

/** Appends a version of the mapping (the next number; two editors at once: the second fails on the key). */
export async function appendMapping(
  db: SyncExecutor,
  document: unknown,
  by: string,
  note: string | null,
): Promise<{ version: number; created_at: Date }> {
  return db
    .insertInto('national_sync_mappings')
    .values({
      version: sql<number>`(select coalesce(max(version), 0) + 1 from national_sync_mappings)`,
      document: JSON.stringify(document),
      note,
      created_by: by,
    })
    .returning(['version', 'created_at'])
    .executeTakeFirstOrThrow();
}

/**
 * The dossier's national record as it stands now, read in the caller's transaction; undefined
 * when there is no such dossier.
 */
export async function recordOf(db: SyncExecutor, dossierId: string): Promise<NationalRecord | undefined> {
  const d = await db
    .selectFrom('dossiers')
    .select([
      'code',
      'procedure_code',
      'status',
      'channel',
      'agency_code',
      'received_at',
      'due_at',
      'ended_at',
      'result',
      'components',
      'version',
      'updated_at',
    ])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('dossier_payments')
            .select('id')
            .whereRef('dossier_payments.dossier_id', '=', 'dossiers.id')
            .where('online', '=', true),
        )
        .as('paid_online'),
    )
    .where('id', '=', dossierId)
    .executeTakeFirst();
  if (!d) return undefined;
  const comps = (Array.isArray(d.components) ? d.components : []) as {
    digitized?: boolean;
    reused?: boolean;
  }[];
  const result = (d.result ?? null) as { resultNumber?: string; eResultUrl?: string } | null;
  const iso = (x: Date | null) => (x ? new Date(x).toISOString() : null);
  return {
    code: d.code,
    procedureCode: d.procedure_code,
    status: d.status,
    channel: d.channel,
    agencyCode: d.agency_code,
    receivedAt: iso(d.received_at),
    dueAt: iso(d.due_at),
    endedAt: iso(d.ended_at),
    resultNumber: result?.resultNumber ?? null,
    eResultUrl: result?.eResultUrl ?? null,
    paidOnline: Boolean(d.paid_online),
    components: {
      total: comps.length,
      digitized: comps.filter((c) => c.digitized === true).length,
      reused: comps.filter((c) => c.reused === true).length,
    },
    version: d.version,
    updatedAt: new Date(d.updated_at).toISOString(),
  };
}

/** Two records say the same to the national side (the instant of the change aside; jsonb reorders keys). */
const sameRecord = (a: unknown, b: NationalRecord) => {
  const { updatedAt: _a, ...x } = a as NationalRecord;
  const { updatedAt: _b, ...y } = b;
  return isDeepStrictEqual(x, y);
};

/**
 * Holds the dossier's line until the transaction ends: consumers on several replicas applying
 * two events of one dossier at once queue its pushes one after the other (re-entrant).
 */
export async function lockDossierLine(tx: SyncExecutor, dossierId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`national-sync:${dossierId}`}, 0))`.execute(tx);
}

/**
 * Queues a push of the record behind the dossier's earlier ones, unless the last one queued
 * already carries it (an event applied after a later change has nothing new to say) or a later
 * version. Returns whether it queued one. The dossier's sync state says it is pending.
 */
export async function queuePush(
  tx: SyncExecutor,
  dossierId: string,
  reason: string,
  record: NationalRecord,
  now: Date,
  force = false,
): Promise<boolean> {
  await lockDossierLine(tx, dossierId);
  const last = await tx
    .selectFrom('national_sync_pushes')
    .select(['dossier_version', 'record', 'status'])
    .where('dossier_id', '=', dossierId)
    .orderBy('dossier_version', 'desc')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (last && (last.dossier_version > record.version || (!force && sameRecord(last.record, record))))
    return false;
  await tx
    .insertInto('national_sync_pushes')
    .values({
      id: randomUUID(),
      dossier_id: dossierId,
      dossier_version: record.version,
      reason,
      record: JSON.stringify(record),
      created_at: now,
    })
    .execute();
  await tx
    .insertInto('national_sync_state')
    .values({ dossier_id: dossierId, code: record.code, agency_code: record.agencyCode, pending_since: now })
    .onConflict((oc) =>
      oc.column('dossier_id').doUpdateSet({
        code: record.code,
        agency_code: record.agencyCode,
        pending_since: sql<Date>`coalesce(national_sync_state.pending_since, ${now})`,
        updated_at: now,
      }),
    )
    .execute();
  return true;
}

/**
 * Claims the pushes at the head of their dossier's line (the first not delivered, in version
 * order) that are due, leasing them for `leaseMs`: a dossier has at most one push in flight,
 * and a later change waits behind an earlier one, failed or dead. Replicas take different rows.
 */
export async function claimHeads(db: SyncExecutor, limit: number, leaseMs: number): Promise<PushRow[]> {
  const { rows } = await sql<PushRow>`
    update national_sync_pushes p set available_at = now() + ${`${leaseMs} milliseconds`}::interval
    where p.id in (
      select id from national_sync_pushes
      where status = 'pending' and available_at <= now() and id in (
        select distinct on (dossier_id) id from national_sync_pushes
        where status <> 'delivered'
        order by dossier_id, dossier_version, seq)
      order by available_at, seq
      limit ${limit}
      for update skip locked)
    returning p.id, p.seq, p.dossier_id, p.dossier_version, p.reason, p.record, p.attempts, p.round, p.created_at`.execute(
    db,
  );
  return rows;
}

/** The push went through: the dossier's state moves on; returns the state before (for the receipt's first sync). */
export async function markDelivered(
  tx: SyncExecutor,
  push: PushRow,
  record: NationalRecord,
  at: Date,
): Promise<{ receiptSyncedBefore: Date | null }> {
  await tx
    .updateTable('national_sync_pushes')
    .set({ status: 'delivered', delivered_at: at, last_error: null, attempts: push.attempts + 1 })
    .where('id', '=', push.id)
    .execute();
  const before = await tx
    .selectFrom('national_sync_state')
    .select('receipt_synced_at')
    .where('dossier_id', '=', push.dossier_id)
    .forUpdate()
    .executeTakeFirst();
  const open = await tx
    .selectFrom('national_sync_pushes')
    .select('created_at')
    .where('dossier_id', '=', push.dossier_id)
    .where('status', '<>', 'delivered')
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  const receipt = record.receivedAt !== null;
  await tx
    .updateTable('national_sync_state')
    .set({
      pending_since: open?.created_at ?? null,
      last_pushed_version: record.version,
      last_pushed_status: record.status,
      synced_at: at,
      receipt_synced_at: sql<Date | null>`coalesce(receipt_synced_at, ${receipt ? at : null}::timestamptz)`,
      last_error: null,
      attempts: 0,
      dead_at: null,
      updated_at: at,
    })
    .where('dossier_id', '=', push.dossier_id)
    .execute();
  return { receiptSyncedBefore: before?.receipt_synced_at ?? null };
}

/** A failed attempt to be retried after `delayMs` (the reason recorded on the push and the state). */
export async function markRetry(
  db: SyncExecutor,
  push: PushRow,
  error: string,
  delayMs: number,
  at: Date,
): Promise<void> {
  await db
    .updateTable('national_sync_pushes')
    .set({
      attempts: push.attempts + 1,
      last_error: error.slice(0, 1000),
      // Database time, as claimHeads compares it.
      available_at: sql<Date>`now() + ${`${delayMs} milliseconds`}::interval`,
    })
    .where('id', '=', push.id)
    .execute();
  await db
    .updateTable('national_sync_state')
    .set({ last_error: error.slice(0, 1000), attempts: push.attempts + 1, updated_at: at })
    .where('dossier_id', '=', push.dossier_id)
    .execute();
}

/** The push will not go through by retrying: it goes to the dead-letter list and holds its dossier's line. */
export async function markDead(db: SyncExecutor, push: PushRow, error: string, at: Date): Promise<void> {
  await db
    .updateTable('national_sync_pushes')
    .set({ status: 'dead', dead_at: at, attempts: push.attempts + 1, last_error: error.slice(0, 1000) })
    .where('id', '=', push.id)
    .execute();
  await db
    .updateTable('national_sync_state')
    .set({ last_error: error.slice(0, 1000), attempts: push.attempts + 1, dead_at: at, updated_at: at })
    .where('dossier_id', '=', push.dossier_id)
    .execute();
}

export interface DeadLetter {
  id: string;
  dossier_id: string;
  code: string;
  dossier_version: number;
  reason: string;
  attempts: number;
  round: number;
  created_at: Date;
  dead_at: Date;
  last_error: string | null;
}

/** The dead-letter list, oldest first, by (dead_at, id). */
export async function listDeadLetters(
  db: SyncExecutor,
  limit: number,
  after: { at: Date; id: string } | null,
): Promise<DeadLetter[]> {
  let q = db
    .selectFrom('national_sync_pushes as p')
    .innerJoin('dossiers as d', 'd.id', 'p.dossier_id')
    .select([
      'p.id',
      'p.dossier_id',
      'd.code',
      'p.dossier_version',
      'p.reason',
      'p.attempts',
      'p.round',
      'p.created_at',
      'p.last_error',
    ])
    .select(sql<Date>`p.dead_at`.as('dead_at'))
    .where('p.status', '=', 'dead');
  if (after) q = q.where(sql<boolean>`(p.dead_at, p.id) > (${after.at}, ${after.id}::uuid)`);
  return q.orderBy('p.dead_at').orderBy('p.id').limit(limit).execute();
}

/**
 * Puts dead pushes back in line (one dossier's, or all), as a new round with fresh attempts.
 * Returns the dossiers whose pushes went back.
 */
export async function revive(db: SyncExecutor, at: Date, dossierId?: string): Promise<string[]> {
  let q = db
    .updateTable('national_sync_pushes')
    .set({
      status: 'pending',
      attempts: 0,
      round: sql<number>`round + 1`,
      available_at: sql<Date>`now()`,
      dead_at: null,
    })
    .where('status', '=', 'dead');
  if (dossierId) q = q.where('dossier_id', '=', dossierId);
  const rows = await q.returning('dossier_id').execute();
  const ids = [...new Set(rows.map((r) => r.dossier_id))];
  if (ids.length > 0)
    await db
      .updateTable('national_sync_state')
      .set({ dead_at: null, attempts: 0, pending_since: at, updated_at: at })
      .where('dossier_id', 'in', ids)
      .execute();
  return ids;
}

export async function syncState(db: SyncExecutor, dossierId: string) {
  return db
    .selectFrom('national_sync_state')
    .selectAll()
    .where('dossier_id', '=', dossierId)
    .executeTakeFirst();
}

export async function pushesOf(db: SyncExecutor, dossierId: string) {
  return db
    .selectFrom('national_sync_pushes')
    .select([
      'id',
      'dossier_version',
      'reason',
      'status',
      'attempts',
      'round',
      'created_at',
      'delivered_at',
      'dead_at',
      'last_error',
    ])
    .where('dossier_id', '=', dossierId)
    .orderBy('dossier_version')
    .orderBy('seq')
    .execute();
}

/** Dossiers changed since an instant, in pages by id (the reconciliation's side of the comparison). */
export async function dossiersChangedSince(
  db: SyncExecutor,
  since: Date,
  afterId: string | null,
  limit: number,
): Promise<{ id: string; agency_code: string }[]> {
  let q = db.selectFrom('dossiers').select(['id', 'agency_code']).where('updated_at', '>=', since);
  if (afterId) q = q.where('id', '>', afterId);
  return q.orderBy('id').limit(limit).execute();
}

/** Whether the dossier has a push not yet delivered (in flight, retrying or dead). */
export async function hasOpenPush(db: SyncExecutor, dossierId: string): Promise<boolean> {
  const r = await db
    .selectFrom('national_sync_pushes')
    .select('id')
    .where('dossier_id', '=', dossierId)
    .where('status', '<>', 'delivered')
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/** The admin audit of a mapping edit (who, when, which version). */
export async function auditMappingEdit(
  db: SyncExecutor,
  actor: string,
  version: number,
  note: string | null,
): Promise<void> {
  await db
    .insertInto('admin_audit')
    .values({
      actor,
      action: 'national_sync.mapping.replace',
      target: `national_sync_mappings/${version}`,
      detail: JSON.stringify({ version, note }),
    })
    .execute();
}

export async function findDossierId(db: SyncExecutor, code: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('dossiers')
    .select('id')
    .where((eb) => (code.startsWith('P-') ? eb('reference', '=', code) : eb('code', '=', code)))
    .executeTakeFirst();
  return r?.id;
}

export async function findRun(db: SyncExecutor, id: string) {
  return db.selectFrom('national_sync_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function recentRuns(db: SyncExecutor, limit: number) {
  return db
    .selectFrom('national_sync_runs')
    .selectAll()
    .orderBy('started_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function differencesOf(db: SyncExecutor, runId: string, afterId: string | null, limit: number) {
  let q = db.selectFrom('national_sync_differences').selectAll().where('run_id', '=', runId);
  if (afterId) q = q.where('id', '>', afterId);
  return q.orderBy('id').limit(limit).execute();
}

/** The mapping in force with who wrote it. */
export async function currentMappingRow(db: SyncExecutor) {
  return db
    .selectFrom('national_sync_mappings')
    .selectAll()
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
}

/** The dossier row (the national_synced event carries its reference). */
export async function dossierRow(db: SyncExecutor, id: string): Promise<DossierRow | undefined> {
  return (await db.selectFrom('dossiers').selectAll().where('id', '=', id).executeTakeFirst()) as
    DossierRow | undefined;
}

export async function startRun(
  db: SyncExecutor,
  run: { id: string; trigger: string; since: Date; at: Date },
) {
  await db
    .insertInto('national_sync_runs')
    .values({ id: run.id, trigger: run.trigger, since: run.since, started_at: run.at })
    .execute();
}

export async function finishRun(
  db: SyncExecutor,
  id: string,
  end: { at: Date; checked?: number; differing?: number; error?: string },
) {
  await db
    .updateTable('national_sync_runs')
    .set({
      finished_at: end.at,
      ...(end.checked === undefined ? {} : { checked: end.checked }),
      ...(end.differing === undefined ? {} : { differing: end.differing }),
      ...(end.error === undefined ? {} : { error: end.error }),
    })
    .where('id', '=', id)
    .execute();
}

export async function addDifference(
  db: SyncExecutor,
  d: {
    runId: string;
    dossierId: string | null;
    code: string;
    kinds: string[];
    ours: unknown;
    theirs: unknown;
    repushed: boolean;
  },
) {
  await db
    .insertInto('national_sync_differences')
    .values({
      run_id: d.runId,
      dossier_id: d.dossierId,
      code: d.code,
      kinds: d.kinds,
      ours: d.ours === null ? null : JSON.stringify(d.ours),
      theirs: d.theirs === null ? null : JSON.stringify(d.theirs),
      repushed: d.repushed,
    })
    .execute();
}
