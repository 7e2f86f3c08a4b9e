import { SpanKind } from '@opentelemetry/api';
import {
  eventsRoutedTo,
  parseEvent,
  serviceOfQueue,
  type EventType,
  type QueueName,
  type TypedEvent,
} from '@tthc/contracts';
import { Worker, type Job } from 'bullmq';
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import { parkDeadLetter, reasonOf } from './dead-letters';
import { applyOnce, InboxBatcher, type EventHandler, type EventHandlers } from './inbox';
import type { BusConnection } from './redis';
import { carriedTraceparent, inMessageSpan } from './trace-context';

/** The span of a consumer's work on one event: a child of the span that relayed it. */
export function consumeSpan<T>(queue: string, job: Job, work: () => Promise<T>): Promise<T> {
  return inMessageSpan(
    `${queue} process ${job.name}`,
    {
      kind: SpanKind.CONSUMER,
      parent: carriedTraceparent(job.data),
      service: serviceOfQueue(queue),
      attributes: {
        'messaging.system': 'bullmq',
        'messaging.destination.name': queue,
        'messaging.message.id': job.id ?? '',
      },
    },
    work,
  );
}

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
  const batcher = options.batch ? new InboxBatcher(options.db, options.queue, concurrency) : null;
  const worker = new Worker(
    options.queue,
    (job: Job) => consumeSpan(options.queue, job, () => consume(job)),
    { connection: options.bus.redis, prefix: options.bus.prefix, concurrency },
  );
  async function consume(job: Job) {
    let event: TypedEvent<EventType>;
    try {
      event = parseEvent(job.data);
    } catch (err) {
      if (!options.parkDeadLetters) throw err;
      const reason = reasonOf(err, job.data);
      await parkDeadLetter(options.db, {
        queue: options.queue,
        jobId: job.id ?? null,
        data: job.data,
        reason,
        attempts: job.attemptsMade + 1,
      });
      options.logger.warn({ jobId: job.id, queue: options.queue, reason }, 'malformed event parked');
      return { applied: false, parked: true };
    }
    const handler = options.handlers[event.type] as EventHandler<EventType> | undefined;
    if (!handler) throw new Error(`no handler for ${event.type} on ${options.queue}`);
    if (options.skip?.(event)) return { applied: false, skipped: true };
    const apply = (tx: Transaction<any>) => handler(event, tx);
    const applied = batcher
      ? await batcher.apply(event, apply)
      : await applyOnce(options.db, options.queue, event, apply);
    if (!applied) options.logger.debug({ eventId: event.id, type: event.type }, 'duplicate event ignored');
    return { applied };
  }
  worker.on('failed', (job, err) => {
    options.logger.error({ jobId: job?.id, queue: options.queue, err }, 'event handler failed');
    if (options.parkDeadLetters && job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      void parkDeadLetter(options.db, {
        queue: options.queue,
        jobId: job.id ?? null,
        data: job.data,
        reason: reasonOf(err),
        attempts: job.attemptsMade,
      }).catch((e: unknown) =>
        options.logger.error({ err: e, jobId: job.id }, 'could not park a failed event'),
      );
    }
  });
  worker.on('error', (err) => options.logger.error({ err, queue: options.queue }, 'worker error'));
  return worker;
}
