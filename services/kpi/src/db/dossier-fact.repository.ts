import type { EventType, TypedEvent } from '@tthc/contracts';
import type { Executor } from '@tthc/db';
import type { KpiDb } from './schema';

type DossierEvent = TypedEvent<Extract<EventType, `dossier.${string}`>>;

/** Records a dossier event as a fact; the inbox already guarantees once, the key guards again. */
export async function recordDossierFact(db: Executor<KpiDb>, event: DossierEvent): Promise<void> {
  const p = event.payload;
  await db
    .insertInto('dossier_facts')
    .values({
      event_id: event.id,
      type: event.type,
      dossier_id: p.dossierId,
      dossier_version: event.entityVersion,
      agency_code: p.agencyCode,
      field_code: p.fieldCode,
      channel: p.channel,
      occurred_at: new Date(event.occurredAt),
      payload: JSON.stringify(p),
    })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .execute();
}

export async function factsOf(db: Executor<KpiDb>, dossierId: string) {
  return db.selectFrom('dossier_facts').selectAll().where('dossier_id', '=', dossierId).orderBy('dossier_version').execute();
}

type FeedbackEvent = TypedEvent<'feedback.received'> | TypedEvent<'feedback.answered'> | TypedEvent<'feedback.rated'>;

/** Feedback events are facts too (the "feedback handled on time" indicator counts them). */
export async function recordFeedbackFact(db: Executor<KpiDb>, event: FeedbackEvent): Promise<void> {
  await db
    .insertInto('feedback_facts')
    .values({
      event_id: event.id,
      type: event.type,
      feedback_id: event.payload.feedbackId,
      agency_code: event.payload.agencyCode,
      occurred_at: new Date(event.occurredAt),
      payload: JSON.stringify(event.payload),
    })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .execute();
}
