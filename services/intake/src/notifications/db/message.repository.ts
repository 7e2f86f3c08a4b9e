import { traceparentOf } from '@tthc/bus';
import { afterCommit } from '@tthc/db';
import { sql, type Insertable, type QueryCreator, type Selectable } from 'kysely';
import { messagesQueued } from '../message-signal';
import type {
  MessageStatus,
  NotificationDb,
  NotificationMessageLogTable,
  NotificationMessageTable,
  NotifyExecutor,
} from './notification.schema';

export type MessageRow = Selectable<NotificationMessageTable>;
export type MessageLogRow = Selectable<NotificationMessageLogTable>;
export type TrailEntry = Insertable<NotificationMessageLogTable>;

/**
 * A change of a message's state with the trail entries that go with it, in one statement: the
 * entries are inserted by a data-modifying WITH, which runs whether or not the change matches a
 * row (as a separate insert would), and commits with it.
 */
function withTrail(db: NotifyExecutor, trail: readonly TrailEntry[]): QueryCreator<NotificationDb> {
  if (trail.length === 0) return db;
  return db.with('trail', (q) =>
    q.insertInto('notification_message_log').values([...trail]),
  ) as unknown as QueryCreator<NotificationDb>;
}

/**
 * Creates the messages, in one statement, but each one whose dedupe key exists already; returns
 * how many were created. They take their creation order (seq) in the order given.
 */
export async function insertMessages(
  db: NotifyExecutor,
  rows: readonly Insertable<NotificationMessageTable>[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const traceparent = traceparentOf();
  const r = await db
    .insertInto('notification_messages')
    .values(rows.map((row) => ({ traceparent, ...row })))
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .execute();
  if (r.length > 0) afterCommit(db, () => messagesQueued.notify());
  return r.length;
}

/** Creates a message unless one with the same dedupe key exists; true when it was created. */
export async function insertMessage(
  db: NotifyExecutor,
  row: Insertable<NotificationMessageTable>,
): Promise<boolean> {
  return (await insertMessages(db, [row])) > 0;
}

export async function findMessage(db: NotifyExecutor, id: string): Promise<MessageRow | undefined> {
  return db.selectFrom('notification_messages').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Claims the messages not yet handed to a send queue and marks them enqueued, in one statement:
 * the rows are locked with FOR UPDATE SKIP LOCKED so that concurrent dispatchers (replicas) take
 * different ones, and the mark commits with the claim. Returned in creation order.
 */
export async function claimUnenqueued(
  db: NotifyExecutor,
  limit: number,
  at: Date,
): Promise<Pick<MessageRow, 'id' | 'channel' | 'send_round' | 'traceparent'>[]> {
  return db
    .with('claimed', (q) =>
      q
        .selectFrom('notification_messages')
        .select(['id', 'channel', 'send_round', 'traceparent', 'seq'])
        .where('status', 'in', ['queued', 'failed'])
        .where('enqueued_at', 'is', null)
        .orderBy('seq')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .with('marked', (q) =>
      q
        .updateTable('notification_messages as m')
        .set({ enqueued_at: at, updated_at: at })
        .from('claimed as c')
        .whereRef('m.id', '=', 'c.id'),
    )
    .selectFrom('claimed')
    .select(['id', 'channel', 'send_round', 'traceparent'])
    .orderBy('seq')
    .execute();
}

export async function markEnqueued(db: NotifyExecutor, ids: string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('notification_messages')
    .set({ enqueued_at: at, updated_at: at })
    .where('id', 'in', ids)
    .execute();
}

/** Gives back a claim whose jobs could not be added: the next round takes the messages again. */
export async function releaseClaim(db: NotifyExecutor, ids: string[], claimedAt: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('notification_messages')
    .set({ enqueued_at: null })
    .where('id', 'in', ids)
    .where('enqueued_at', '=', claimedAt)
    .execute();
}

/**
 * Messages handed to a queue long ago and still not sent or given up: their job may be lost
 * (Redis flushed, a final attempt that crashed). Read without a lock: what is done with them is
 * conditional on the send round read here.
 */
export async function staleInFlight(
  db: NotifyExecutor,
  enqueuedBefore: Date,
  limit: number,
): Promise<Pick<MessageRow, 'id' | 'channel' | 'send_round'>[]> {
  return db
    .selectFrom('notification_messages')
    .select(['id', 'channel', 'send_round'])
    .where('status', 'in', ['queued', 'failed'])
    .where('enqueued_at', '<', enqueuedBefore)
    .orderBy('enqueued_at')
    .limit(limit)
    .execute();
}

/**
 * Starts a new send round: the dispatcher enqueues the message again under a new job id, with
 * fresh attempts. Only from the round the caller saw, so two replicas sweeping at once start one.
 */
export async function newSendRound(
  db: NotifyExecutor,
  rows: Pick<MessageRow, 'id' | 'send_round'>[],
  at: Date,
): Promise<void> {
  if (rows.length === 0) return;
  afterCommit(db, () => messagesQueued.notify());
  await db
    .updateTable('notification_messages')
    .set((eb) => ({ enqueued_at: null, send_round: eb('send_round', '+', 1), updated_at: at }))
    .where((eb) => eb.or(rows.map((r) => eb.and([eb('id', '=', r.id), eb('send_round', '=', r.send_round)]))))
    .execute();
}

/**
 * The provider accepted the message. The status moves to sent only from queued or failed: a
 * delivery report that raced ahead of the provider's answer has already made it delivered.
 * The trail entries given are written by the same statement.
 */
export async function recordSent(
  db: NotifyExecutor,
  id: string,
  s: { attempts: number; provider: string; providerMessageId: string | null; at: Date },
  trail: readonly TrailEntry[] = [],
): Promise<void> {
  await withTrail(db, trail)
    .updateTable('notification_messages')
    .set((eb) => ({
      status: eb
        .case()
        .when('status', 'in', ['queued', 'failed'])
        .then('sent' as MessageStatus)
        .else(eb.ref('status'))
        .end(),
      attempts: s.attempts,
      provider: s.provider,
      provider_message_id: s.providerMessageId,
      sent_at: s.at,
      last_error: null,
      updated_at: s.at,
    }))
    .where('id', '=', id)
    .execute();
}

/** An attempt failed and another will follow; the trail entries given are written by the same statement. */
export async function recordAttemptFailed(
  db: NotifyExecutor,
  id: string,
  s: { attempts: number; error: string; at: Date },
  trail: readonly TrailEntry[] = [],
): Promise<void> {
  await withTrail(db, trail)
    .updateTable('notification_messages')
    .set({ status: 'failed', attempts: s.attempts, last_error: s.error, failed_at: s.at, updated_at: s.at })
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'failed'])
    .execute();
}

/**
 * No attempt is left (or the provider refused for good). True when the message moved, so the
 * alert counts once. The trail entries given are written by the same statement, moved or not.
 */
export async function recordPermanentFailure(
  db: NotifyExecutor,
  id: string,
  s: { attempts?: number; error: string; at: Date; from?: MessageStatus[] },
  trail: readonly TrailEntry[] = [],
): Promise<boolean> {
  const r = await withTrail(db, trail)
    .updateTable('notification_messages')
    .set({
      status: 'permanently_failed',
      ...(s.attempts === undefined ? {} : { attempts: s.attempts }),
      last_error: s.error,
      failed_at: s.at,
      permanently_failed_at: s.at,
      updated_at: s.at,
    })
    .where('id', '=', id)
    .where('status', 'in', s.from ?? ['queued', 'failed'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The message a provider's callback names: our id, or the provider's own id. */
export async function findByReference(
  db: NotifyExecutor,
  provider: string,
  reference: string,
): Promise<MessageRow | undefined> {
  const ours = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(reference);
  let q = db.selectFrom('notification_messages').selectAll();
  q = ours
    ? q.where((eb) =>
        eb.or([
          eb('id', '=', reference),
          eb.and([eb('provider', '=', provider), eb('provider_message_id', '=', reference)]),
        ]),
      )
    : q.where('provider', '=', provider).where('provider_message_id', '=', reference);
  return q.executeTakeFirst();
}

/**
 * Moves a message to a reported state only from a state ranked below it (the caller passes
 * them), so two callbacks racing each other cannot move it backwards, and writes the report's
 * trail entry, all in one statement: the entry's outcome is marked " (ignored)" when the message
 * did not move. True when it moved.
 */
export async function moveStatus(
  db: NotifyExecutor,
  id: string,
  to: MessageStatus,
  from: MessageStatus[],
  at: Date,
  detail: string | null,
  report: { at: Date; provider: string; outcome: string; detail: string | null },
): Promise<boolean> {
  const stamp =
    to === 'delivered'
      ? { delivered_at: at }
      : to === 'sent'
        ? { sent_at: at }
        : to === 'permanently_failed'
          ? { permanently_failed_at: at, failed_at: at, last_error: detail }
          : {};
  const r = await db
    .with('moved', (q) =>
      q
        .updateTable('notification_messages')
        .set({ status: to, ...stamp, updated_at: at })
        .where('id', '=', id)
        .where('status', 'in', from)
        .returning('id'),
    )
    .with('trail', (q) =>
      q.insertInto('notification_message_log').values({
        message_id: id,
        at: report.at,
        kind: 'callback',
        provider: report.provider,
        outcome: sql<string>`case when exists (select 1 from moved) then ${report.outcome} else ${`${report.outcome} (ignored)`} end`,
        detail: report.detail,
      }),
    )
    .selectNoFrom(sql<boolean>`exists (select 1 from moved)`.as('moved'))
    .executeTakeFirstOrThrow();
  return r.moved;
}

export async function listDossierMessages(db: NotifyExecutor, dossierId: string): Promise<MessageRow[]> {
  return db
    .selectFrom('notification_messages')
    .selectAll()
    .where('dossier_id', '=', dossierId)
    .orderBy('created_at')
    .orderBy('seq')
    .execute();
}

/** Permanently failed messages, newest first; one row more than the limit says a next page exists. */
export async function listAlerts(
  db: NotifyExecutor,
  f: {
    acknowledged?: boolean | undefined;
    agencyCode?: string | undefined;
    /** The caller's agency scope; undefined: every agency. */
    agencyCodes?: string[] | undefined;
    after?: { at: Date; id: string } | undefined;
    limit: number;
  },
): Promise<MessageRow[]> {
  let q = db.selectFrom('notification_messages').selectAll().where('status', '=', 'permanently_failed');
  if (f.acknowledged === true) q = q.where('alert_acknowledged_at', 'is not', null);
  if (f.acknowledged === false) q = q.where('alert_acknowledged_at', 'is', null);
  if (f.agencyCode) q = q.where('agency_code', '=', f.agencyCode);
  if (f.agencyCodes)
    q = f.agencyCodes.length > 0 ? q.where('agency_code', 'in', f.agencyCodes) : q.where('id', 'is', null);
  const after = f.after;
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb('permanently_failed_at', '<', after.at),
        eb.and([eb('permanently_failed_at', '=', after.at), eb('id', '<', after.id)]),
      ]),
    );
  }
  return q
    .orderBy('permanently_failed_at', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute();
}

export async function acknowledgeAlert(
  db: NotifyExecutor,
  id: string,
  by: string,
  at: Date,
): Promise<MessageRow | undefined> {
  return db
    .updateTable('notification_messages')
    .set({ alert_acknowledged_at: at, alert_acknowledged_by: by, updated_at: at })
    .where('id', '=', id)
    .where('status', '=', 'permanently_failed')
    .returningAll()
    .executeTakeFirst();
}

/** Sends a permanently failed message again (after the gateway is fixed), as a new send round. */
export async function requeueMessage(
  db: NotifyExecutor,
  id: string,
  at: Date,
): Promise<MessageRow | undefined> {
  afterCommit(db, () => messagesQueued.notify());
  return db
    .updateTable('notification_messages')
    .set((eb) => ({
      status: 'queued',
      enqueued_at: null,
      attempts: 0,
      last_error: null,
      send_round: eb('send_round', '+', 1),
      updated_at: at,
    }))
    .where('id', '=', id)
    .where('status', '=', 'permanently_failed')
    .returningAll()
    .executeTakeFirst();
}

export async function appendMessageLog(
  db: NotifyExecutor,
  row: TrailEntry | readonly TrailEntry[],
): Promise<void> {
  const rows = Array.isArray(row) ? row : [row];
  if (rows.length === 0) return;
  await db
    .insertInto('notification_message_log')
    .values([...rows])
    .execute();
}

export async function messageLog(db: NotifyExecutor, messageId: string): Promise<MessageLogRow[]> {
  return db
    .selectFrom('notification_message_log')
    .selectAll()
    .where('message_id', '=', messageId)
    .orderBy('id')
    .execute();
}
