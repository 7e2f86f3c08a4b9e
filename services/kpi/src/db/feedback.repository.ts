import type { Executor } from '@tthc/db';
import type { TypedEvent } from '@tthc/contracts';
import { sql, type Selectable } from 'kysely';
import type { FeedbackTable, KpiDb } from './schema';

export type FeedbackEvent =
  TypedEvent<'feedback.received'> | TypedEvent<'feedback.answered'> | TypedEvent<'feedback.rated'>;
export type FeedbackRow = Selectable<FeedbackTable>;

export async function logFeedbackEvent(
  db: Executor<KpiDb>,
  e: FeedbackEvent,
  schemaVersion: number,
): Promise<void> {
  await db
    .insertInto('feedback_events')
    .values({
      event_id: e.id,
      type: e.type,
      feedback_id: e.payload.feedbackId,
      agency_code: e.payload.agencyCode,
      occurred_at: new Date(e.occurredAt),
      schema_version: schemaVersion,
      payload: JSON.stringify(e.payload),
    })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .execute();
}

/**
 * Records what one feedback event says. Each event type sets its own columns once, so events
 * applied in any order give the same row.
 */
export async function recordFeedback(db: Executor<KpiDb>, e: FeedbackEvent): Promise<FeedbackRow> {
  const p = e.payload;
  const base = { feedback_id: p.feedbackId, code: p.code, kind: p.kind, agency_code: p.agencyCode };
  const specific =
    e.type === 'feedback.received'
      ? {
          procedure_code: e.payload.procedureCode,
          dossier_code: e.payload.dossierCode,
          received_at: new Date(e.payload.receivedAt),
          due_at: new Date(e.payload.dueAt),
        }
      : e.type === 'feedback.answered'
        ? {
            answered_at: new Date(e.payload.answeredAt),
            answered_on_time: e.payload.onTime,
            due_at: new Date(e.payload.dueAt),
          }
        : { satisfaction: e.payload.satisfaction, rated_at: new Date(e.payload.ratedAt) };
  return db
    .insertInto('feedbacks')
    .values({ ...base, ...specific })
    .onConflict((oc) => oc.column('feedback_id').doUpdateSet({ ...specific, updated_at: sql<Date>`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Complaints about the handling of a dossier: feedback of kind handling naming its code. */
export async function complaintsAbout(
  db: Executor<KpiDb>,
  dossierCode: string,
): Promise<{ receivedAt: Date }[]> {
  const rows = await db
    .selectFrom('feedbacks')
    .select('received_at')
    .where('kind', '=', 'handling')
    .where('dossier_code', '=', dossierCode)
    .where('received_at', 'is not', null)
    .execute();
  return rows.map((r) => ({ receivedAt: r.received_at as Date }));
}

/** Feedback of some agencies (null: all) that touched a span of instants: received, answered, due or rated in it. */
export async function feedbackTouching(
  db: Executor<KpiDb>,
  agencyCodes: readonly string[] | null,
  from: Date,
  to: Date,
): Promise<FeedbackRow[]> {
  let q = db
    .selectFrom('feedbacks')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.between('answered_at', from, to),
        eb.between('due_at', from, to),
        eb.between('rated_at', from, to),
        eb.and([
          eb('received_at', '<=', to),
          eb.or([eb('answered_at', 'is', null), eb('answered_at', '>', to)]),
        ]),
      ]),
    );
  if (agencyCodes !== null) q = q.where('agency_code', 'in', agencyCodes.length ? [...agencyCodes] : ['']);
  return q.orderBy('code').execute();
}
