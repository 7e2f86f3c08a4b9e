import type { Executor } from '@tthc/db';
import type { KpiDb } from './schema';

/**
 * Notes events as processed by a queue's consumer (the inbox of @tthc/bus's applyOnce, for many
 * at once), in the caller's transaction. Returns the ids noted now: the others were processed
 * already (a redelivery or a replay) and must not be applied again.
 */
export async function noteProcessed(
  db: Executor<KpiDb>,
  queue: string,
  events: readonly { id: string; type: string }[],
): Promise<Set<string>> {
  const unique = new Map(events.map((e) => [e.id, e.type]));
  if (unique.size === 0) return new Set();
  const rows = await db
    .insertInto('processed_events')
    .values([...unique].map(([id, type]) => ({ event_id: id, queue, event_type: type })))
    .onConflict((oc) => oc.columns(['event_id', 'queue']).doNothing())
    .returning('event_id')
    .execute();
  return new Set(rows.map((r) => r.event_id));
}
