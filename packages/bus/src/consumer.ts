import { eventsRoutedTo, parseEvent, type EventType, type QueueName, type TypedEvent } from '@tthc/contracts';
import { Worker, type Job } from 'bullmq';
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { BusTables } from './outbox';
import type { BusConnection } from './redis';

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
  return (db as Kysely<BusTables>).transaction().execute(async (tx) => {
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

export interface ConsumerOptions {
  queue: QueueName;
  db: Kysely<any>;
  bus: BusConnection;
  logger: Logger;
  handlers: EventHandlers;
  concurrency?: number;
}

/**
 * Starts a worker on a subscriber queue. Refuses to start when an event routed to the queue has
 * no handler, so a new event type cannot be silently dropped.
 */
export function startConsumer(options: ConsumerOptions): Worker {
  const missing = eventsRoutedTo(options.queue).filter((t) => !options.handlers[t]);
  if (missing.length > 0) {
    throw new Error(`consumer of ${options.queue} has no handler for: ${missing.join(', ')}`);
  }
  const worker = new Worker(
    options.queue,
    async (job: Job) => {
      const event = parseEvent(job.data);
      const handler = options.handlers[event.type] as EventHandler<EventType> | undefined;
      if (!handler) throw new Error(`no handler for ${event.type} on ${options.queue}`);
      const applied = await applyOnce(options.db, options.queue, event, (tx) => handler(event, tx));
      if (!applied) options.logger.debug({ eventId: event.id, type: event.type }, 'duplicate event ignored');
      return { applied };
    },
    { connection: options.bus.redis, prefix: options.bus.prefix, concurrency: options.concurrency ?? 4 },
  );
  worker.on('failed', (job, err) => {
    options.logger.error({ jobId: job?.id, queue: options.queue, err }, 'event handler failed');
  });
  worker.on('error', (err) => options.logger.error({ err, queue: options.queue }, 'worker error'));
  return worker;
}
