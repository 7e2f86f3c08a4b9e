// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the stores ship no types; this brings our declaration into every program that compiles this file
/// <reference path="./rate-limit-stores.d.ts" />
import type { Logger } from '@tthc/service-kit';
import type { Redis } from 'ioredis';
// The plugin's own stores: the shared one (a Lua INCR/PEXPIRE in Redis) and the in-process LRU.
import LocalStore from '@fastify/rate-limit/store/LocalStore';
import RedisStore from '@fastify/rate-limit/store/RedisStore';

type Counted = { current: number; ttl: number };
type Done = (err: Error | null, result?: Counted) => void;

/** How long a request waits on Redis for its count before the process counts it alone. */
export const SHARED_COUNT_TIMEOUT_MS = 200;

/**
 * A rate-limit store for @fastify/rate-limit that counts in Redis, so a limit holds across
 * gateway replicas, and falls back to counting in this process while Redis is unreachable
 * (not connected, an error, or no answer within SHARED_COUNT_TIMEOUT_MS). During an outage a
 * caller may therefore make up to the limit at each replica; no request fails because the
 * counter is away. Counting returns to Redis as soon as the connection is ready again.
 */
export function sharedWithLocalFallback(
  redis: Redis,
  nameSpace: string,
  logger: Logger,
  onModeChange: (degraded: boolean) => void = () => undefined,
) {
  let degraded = false;
  const mark = (now: boolean, reason?: string) => {
    if (now === degraded) return;
    degraded = now;
    if (now) logger.warn({ reason }, 'rate limits counted per process: Redis is unavailable');
    else logger.info('rate limits counted in Redis again');
    onModeChange(now);
  };

  return class FallbackStore {
    readonly shared: RedisStore;
    readonly local: LocalStore;

    // The plugin hands its resolved options (booleans set) to the store it constructs.
    constructor(
      params: { continueExceeding?: boolean; exponentialBackoff?: boolean },
      keyPrefix: string = nameSpace,
    ) {
      const continueExceeding = params.continueExceeding ?? false;
      const exponentialBackoff = params.exponentialBackoff ?? false;
      this.shared = new RedisStore(continueExceeding, exponentialBackoff, redis, keyPrefix);
      this.local = new LocalStore(continueExceeding, exponentialBackoff);
    }

    /** A route with limits of its own counts under keys of its own, as the plugin's stores do. */
    child(routeOptions: object): FallbackStore {
      const route = routeOptions as {
        continueExceeding?: boolean;
        exponentialBackoff?: boolean;
        routeInfo?: { method?: string; url?: string };
      };
      const { method = '', url = '' } = route.routeInfo ?? {};
      return new FallbackStore(route, `${nameSpace}${method}${url}-`);
    }

    // The plugin calls incr(key, done, timeWindow, max); its typings still say incr(key, done).
    incr(key: string, done: Done, timeWindow?: number, max?: number): void {
      if (timeWindow === undefined || max === undefined) {
        done(new Error('rate-limit store called without a time window and a limit'));
        return;
      }
      // Queued commands of a reconnecting client would hold the request: count here at once.
      if (redis.status !== 'ready') {
        mark(true, `redis ${redis.status}`);
        this.local.incr(key, done, timeWindow, max);
        return;
      }
      let settled = false;
      const fallBack = (reason: string) => {
        if (settled) return;
        settled = true;
        mark(true, reason);
        this.local.incr(key, done, timeWindow, max);
      };
      const timer = setTimeout(() => fallBack('no answer in time'), SHARED_COUNT_TIMEOUT_MS);
      this.shared.incr(
        key,
        (err, result) => {
          clearTimeout(timer);
          if (err || !result) return fallBack(err?.message ?? 'no result');
          if (settled) return;
          settled = true;
          mark(false);
          done(null, result);
        },
        timeWindow,
        max,
      );
    }
  };
}
