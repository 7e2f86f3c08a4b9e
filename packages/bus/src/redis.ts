import { Redis, type RedisOptions } from 'ioredis';

export interface BusConnection {
  /** A Redis connection BullMQ may share (maxRetriesPerRequest null, as workers require). */
  redis: Redis;
  /** Key prefix for every queue; tests give each file its own. */
  prefix: string;
}

export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...options });
}

/** Bounded retention, so Redis does not grow with every finished job. */
export const jobRetention = {
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 50_000 },
} as const;

/**
 * The options of every job of events the outbox relay enqueues (retried with backoff, then
 * parked). Each holds up to a hundred events (event-jobs.ts), so fewer finished ones are kept than
 * of other jobs: about as many events as when each event was a job of its own.
 */
export const eventJobOptions = {
  removeOnComplete: { age: 24 * 3600, count: 100 },
  removeOnFail: { age: 7 * 24 * 3600, count: 500 },
  attempts: 10,
  backoff: { type: 'exponential', delay: 1000 },
} as const;
