import {
  parseEvent,
  type EventEnvelope,
  type EventType,
  type QueueName,
  type TypedEvent,
} from '@tthc/contracts';
import type { Job, Worker } from 'bullmq';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { parkDeadLetter, reasonOf } from './dead-letters';
import { consumeSpan } from './trace-context';

/**
 * How events travel on a subscriber queue: the relay puts the events of one round that go to a
 * queue into jobs of up to MAX_EVENTS_PER_JOB events each, in the order they happened. BullMQ's
 * cost is per job (a script to add it, one to take it, one to finish it, each with its stream
 * entries), so at a burst's rate one job per event spent more of the machine on the queue than
 * on the events. A job of one event (an older relay's, a test's, an operator's) reads as before.
 */
export const EVENTS_JOB = 'events';
export const MAX_EVENTS_PER_JOB = 100;

export interface EventsJobData {
  events: unknown[];
}

/**
 * The jobs that carry these events (in this order) to one queue. A job's id names its first event
 * and how many it holds, so a round sent again unchanged (the relay died before marking it sent)
 * is dropped by BullMQ; a round made up differently is applied once all the same (the inbox).
 */
export function eventsJobsOf(
  envelopes: readonly EventEnvelope[],
): { name: string; data: EventsJobData; opts: { jobId: string } }[] {
  const jobs = [];
  for (let i = 0; i < envelopes.length; i += MAX_EVENTS_PER_JOB) {
    const events = envelopes.slice(i, i + MAX_EVENTS_PER_JOB);
    jobs.push({ name: EVENTS_JOB, data: { events }, opts: { jobId: `${events[0]!.id}-${events.length}` } });
  }
  return jobs;
}

/** The events a job carries: a job of several, or one event as its data. */
export function eventsOfJob(data: unknown): unknown[] {
  const events = (data as { events?: unknown } | null)?.events;
  return Array.isArray(events) && !(data as { type?: unknown }).type ? events : [data];
}

/** One event of a job, as its span names it: its type and id (the job's when it does not read). */
function messageOf(job: Job, data: unknown): { data: unknown; name: string; id: string } {
  const { type, id } = (data ?? {}) as { type?: unknown; id?: unknown };
  return {
    data,
    name: typeof type === 'string' ? type : job.name,
    id: typeof id === 'string' ? id : (job.id ?? ''),
  };
}

export interface EventsJobOptions {
  queue: QueueName;
  db: Kysely<any>;
  logger: Logger;
  /**
   * Applies one event that reads: applied, a duplicate (applied before), or skipped (nothing to
   * apply for it). Throws when it cannot be applied (the event is tried again with the job).
   */
  apply: (event: TypedEvent<EventType>) => Promise<EventOutcome>;
  /**
   * Apply a job's events all at once (the consumer gathers them into batches of its own) rather
   * than one after another in the order they happened.
   */
  together?: boolean;
  /**
   * Park what cannot be applied in the service's dead_letters table, one letter per event: an
   * event that does not read, by the attempt that ends its job (the first, unless another event
   * of the job fails); one that still fails, on the job's last attempt. Otherwise such a job
   * fails, and stays failed in BullMQ once its attempts are spent.
   */
  parkDeadLetters?: boolean;
}

export type EventOutcome = 'applied' | 'duplicate' | 'skipped';

/** What became of a job's events (its return value, as BullMQ keeps it). */
export interface EventsJobOutcome {
  applied: number;
  duplicates: number;
  skipped: number;
  parked: number;
}

/** The outcome of an inbox apply: true when applied, false when the inbox held it already. */
export const appliedOrDuplicate = (applied: boolean): EventOutcome => (applied ? 'applied' : 'duplicate');

/**
 * Consumes one job of events: each event is read, applied (or found a duplicate) in its own span;
 * one that does not read or fails does not hold up the others. When some failed, the job fails
 * (after its other events were applied) and BullMQ tries it again with backoff: what was applied is
 * then a duplicate. When parking, the attempt that ends the job parks, one letter per event, what
 * does not read and (on the last attempt) what still fails.
 */
export async function consumeEventsJob(job: Job, options: EventsJobOptions): Promise<EventsJobOutcome> {
  const outcome: EventsJobOutcome = { applied: 0, duplicates: 0, skipped: 0, parked: 0 };
  const failures: { data: unknown; err: unknown }[] = [];
  const unreadable: { data: unknown; reason: string }[] = [];
  const one = (data: unknown) =>
    consumeSpan(
      options.queue,
      job,
      async () => {
        let event: TypedEvent<EventType>;
        try {
          event = parseEvent(data);
        } catch (err) {
          if (!options.parkDeadLetters) throw err;
          unreadable.push({ data, reason: reasonOf(err, data) });
          return;
        }
        const result = await options.apply(event);
        if (result === 'applied') outcome.applied++;
        else if (result === 'skipped') outcome.skipped++;
        else {
          outcome.duplicates++;
          options.logger.debug({ eventId: event.id, type: event.type }, 'duplicate event ignored');
        }
      },
      messageOf(job, data),
    ).catch((err: unknown) => {
      failures.push({ data, err });
    });
  const events = eventsOfJob(job.data);
  if (options.together) await Promise.all(events.map(one));
  else for (const data of events) await one(data);

  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  if (failures.length > 0 && !(options.parkDeadLetters && lastAttempt)) {
    // Tried again with the job; what does not read is parked by the attempt that ends it (once).
    const first = failures[0]!.err;
    const message = first instanceof Error ? first.message : String(first);
    throw new Error(
      failures.length === 1
        ? message
        : `${failures.length} of ${events.length} events failed; the first: ${message}`,
      { cause: first },
    );
  }
  const park = async (data: unknown, reason: string) => {
    await parkDeadLetter(options.db, {
      queue: options.queue,
      jobId: job.id ?? null,
      data,
      reason,
      attempts: job.attemptsMade + 1,
    });
    outcome.parked++;
  };
  for (const u of unreadable) {
    await park(u.data, u.reason);
    options.logger.warn({ jobId: job.id, queue: options.queue, reason: u.reason }, 'malformed event parked');
  }
  for (const f of failures) {
    await park(f.data, reasonOf(f.err));
    options.logger.error(
      { jobId: job.id, queue: options.queue, err: f.err },
      'event failed on its last attempt: parked',
    );
  }
  return outcome;
}

/**
 * The listeners every worker of events has: a failed attempt and a worker error are logged; a job
 * that failed for good outside its handler (its last attempt could not park, the worker lost it)
 * has each of its events parked when parking, for an operator to replay (one already applied
 * replays as a no-op).
 */
export function watchEventsWorker(
  worker: Worker,
  options: Pick<EventsJobOptions, 'queue' | 'db' | 'logger' | 'parkDeadLetters'>,
): void {
  const { queue, db, logger } = options;
  worker.on('failed', (job, err) => {
    logger.error({ jobId: job?.id, queue, err }, 'event handler failed');
    if (!options.parkDeadLetters || !job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    void (async () => {
      for (const data of eventsOfJob(job.data))
        await parkDeadLetter(db, {
          queue,
          jobId: job.id ?? null,
          data,
          reason: reasonOf(err),
          attempts: job.attemptsMade,
        });
    })().catch((e: unknown) => logger.error({ err: e, jobId: job.id }, 'could not park a failed event'));
  });
  worker.on('error', (err) => logger.error({ err, queue }, 'worker error'));
}
