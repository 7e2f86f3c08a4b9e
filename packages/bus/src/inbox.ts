import type { EventType, TypedEvent } from '@tthc/contracts';
import { withTransaction } from '@tthc/db';
import type { Kysely, Transaction } from 'kysely';
import type { BusTables } from './outbox';

export type EventHandler<T extends EventType> = (event: TypedEvent<T>, tx: Transaction<any>) => Promise<void>;
export type EventHandlers = { [T in EventType]?: EventHandler<T> };

/**
 * Applies an event at most once: the inbox row and the handler's writes share one transaction,
 * so a redelivered event finds its row and does nothing. Returns false for a duplicate.
 */
export async function applyOnce(
  db: Kysely<any>,
  queue: string,
  event: { id: string; type: string },
  apply: (tx: Transaction<any>) => Promise<void>,
): Promise<boolean> {
  return withTransaction(db as Kysely<BusTables>, async (tx) => {
    const inserted = await tx
      .insertInto('processed_events')
      .values({ event_id: event.id, queue, event_type: event.type })
      .onConflict((oc) => oc.columns(['event_id', 'queue']).doNothing())
      .returning('event_id')
      .executeTakeFirst();
    if (!inserted) return false;
    await apply(tx);
    return true;
  });
}
