import type { Executor } from '@tthc/db';
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type {
  FeedbackDb,
  FeedbackHistoryTable,
  FeedbackKind,
  FeedbackStatus,
  FeedbackTable,
} from './feedback.schema';

export type FeedbackRow = Selectable<FeedbackTable>;
export type FeedbackHistoryRow = Selectable<FeedbackHistoryTable>;

/**
 * Next serial of the day for feedback codes. The upsert takes a row lock, so concurrent receipts
 * get distinct serials; a rolled-back receipt leaves a gap, never a duplicate.
 */
export async function nextFeedbackSerial(db: Executor<FeedbackDb>, day: string): Promise<number> {
  const row = await db
    .insertInto('feedback_serials')
    .values({ day, last_serial: 1 })
    .onConflict((oc) =>
      oc.column('day').doUpdateSet((eb) => ({ last_serial: eb('feedback_serials.last_serial', '+', 1) })),
    )
    .returning('last_serial')
    .executeTakeFirstOrThrow();
  return row.last_serial;
}

export async function insertFeedback(
  db: Executor<FeedbackDb>,
  row: Insertable<FeedbackTable>,
): Promise<FeedbackRow> {
  return db.insertInto('feedback').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findFeedbackByCode(
  db: Executor<FeedbackDb>,
  code: string,
  forUpdate = false,
): Promise<FeedbackRow | undefined> {
  let q = db.selectFrom('feedback').selectAll().where('code', '=', code);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Writes a change only if the feedback is still at the version the caller read; undefined when not. */
export async function updateFeedback(
  db: Executor<FeedbackDb>,
  id: string,
  expectedVersion: number,
  set: Updateable<FeedbackTable>,
): Promise<FeedbackRow | undefined> {
  return db
    .updateTable('feedback')
    .set({ ...set, version: expectedVersion + 1, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

export async function appendFeedbackHistory(
  db: Executor<FeedbackDb>,
  row: Insertable<FeedbackHistoryTable>,
): Promise<void> {
  await db.insertInto('feedback_history').values(row).execute();
}

export async function listFeedbackHistory(
  db: Executor<FeedbackDb>,
  feedbackId: string,
): Promise<FeedbackHistoryRow[]> {
  return db
    .selectFrom('feedback_history')
    .selectAll()
    .where('feedback_id', '=', feedbackId)
    .orderBy('id')
    .execute();
}

export interface FeedbackFilter {
  status?: FeedbackStatus[] | undefined;
  /** The caller's agency scope (undefined: province-wide); see access/feedback-access.ts. */
  visibleTo?: readonly string[] | undefined;
  agencyCode?: string | undefined;
  kind?: FeedbackKind | undefined;
  dueBefore?: Date | undefined;
}

function filtered(db: Executor<FeedbackDb>, f: FeedbackFilter) {
  let q = db.selectFrom('feedback');
  if (f.status?.length) q = q.where('status', 'in', f.status);
  if (f.visibleTo)
    q = f.visibleTo.length ? q.where('agency_code', 'in', [...f.visibleTo]) : q.where(sql<boolean>`false`);
  if (f.agencyCode) q = q.where('agency_code', '=', f.agencyCode);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.dueBefore) q = q.where('due_at', '<', f.dueBefore);
  return q;
}

/** Keyset page, newest receipt first, id breaking ties; one row more than the limit says a next page exists. */
export async function listFeedback(
  db: Executor<FeedbackDb>,
  f: FeedbackFilter,
  page: { after?: { at: string; id: string } | undefined; limit: number },
): Promise<FeedbackRow[]> {
  let q = filtered(db, f).selectAll();
  if (page.after)
    q = q.where(sql<boolean>`(received_at, id) < (${page.after.at}::timestamptz, ${page.after.id}::uuid)`);
  return q
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
}

export async function countFeedback(db: Executor<FeedbackDb>, f: FeedbackFilter): Promise<number> {
  const r = await filtered(db, f)
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return r.n;
}
