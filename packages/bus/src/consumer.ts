import { eventsRoutedTo, type EventType, type QueueName, type TypedEvent } from '@tthc/contracts';
import { Worker, type Job } from 'bullmq';
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import { appliedOrDuplicate, consumeEventsJob, watchEventsWorker } from './event-jobs';
import { applyOnce, InboxBatcher, type EventHandler, type EventHandlers } from './inbox';
import type { BusConnection } from './redis';

export interface ConsumerOptions {
  queue: QueueName;
  db: Kysely<any>;
  bus: BusConnection;
  logger: Logger;
  handlers: EventHandlers;
  concurrency?: number;
  /**
   * Park what cannot be applied in the service's dead_letters table (createDeadLettersTable)
   * instead of failing the job: an event that does not read, at once; one whose handler still
   * fails after the last attempt, then. The consumer carries on with the next event.
   */
  parkDeadLetters?: boolean;
  /**
   * Events the consumer takes off its queue and drops without opening a transaction, because it
   * has nothing to apply for them now (the national sync while no portal is configured). No inbox
   * row is written for them: a dropped event changes nothing, so there is nothing to apply once.
   */
  skip?: (event: TypedEvent<EventType>) => boolean;
  /**
   * Apply the events taken at the same time (up to `concurrency`) in one transaction with one
   * inbox statement (InboxBatcher), instead of one transaction each. For handlers that only
   * write in the transaction they are given; off by default.
   */
  batch?: boolean;
  /**
   * Runs in each transaction after the handlers of its events, before the commit: where handlers
   * that gather their writes (one statement for the events of a batch, not one each) write them.
   */
  settle?: (tx: Transaction<any>) => Promise<void>;
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
  const concurrency = options.concurrency ?? 4;
  const batcher = options.batch
    ? new InboxBatcher(options.db, options.queue, concurrency, undefined, options.settle)
    : null;
  const worker = new Worker(
    options.queue,
    (job: Job) =>
      consumeEventsJob(job, {
        queue: options.queue,
        db: options.db,
        logger: options.logger,
        parkDeadLetters: options.parkDeadLetters,
        // Events applied together go through the batcher into shared transactions; otherwise one
        // after another, in the order they happened.
        together: batcher !== null,
        apply: async (event) => {
          const handler = options.handlers[event.type] as EventHandler<EventType> | undefined;
          if (!handler) throw new Error(`no handler for ${event.type} on ${options.queue}`);
          if (options.skip?.(event)) return 'skipped';
          const apply = (tx: Transaction<any>) => handler(event, tx);
          return appliedOrDuplicate(
            await (batcher
              ? batcher.apply(event, apply)
              : applyOnce(options.db, options.queue, event, apply, options.settle)),
          );
        },
      }),
    { connection: options.bus.redis, prefix: options.bus.prefix, concurrency },
  );
  watchEventsWorker(worker, options);
  return worker;
}
