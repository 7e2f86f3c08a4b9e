import type { Logger } from '@tthc/service-kit';
import type { Redis } from 'ioredis';

type Counted = { current: number; ttl: number };
type Done = (err: Error | null, result?: Counted) => void;

/** How long a request waits on Redis for its count before the process answers from its own. */
export const SHARED_COUNT_TIMEOUT_MS = 200;

/** How often the increments counted in this process are added to Redis. */
export const BATCH_MS = 100;

/**
 * The most keys a process counts itself; past it (a flood of distinct client addresses) a new key
 * is counted in Redis directly, one round trip per request, so memory stays bounded.
 */
export const MAX_LOCAL_KEYS = 20_000;

/** Commands per pipeline when a batch is sent. */
const PIPELINE_CHUNK = 1_000;

/**
 * Adds a batch of increments to a counter and answers its total and the window's time left (ms),
 * starting the window (PEXPIRE) when the key is new or has lost its expiry.
 */
const ADD_LUA = `
local current = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {current, ttl}`;

type AddCommand = (key: string, by: number, windowMs: number) => Promise<[number, number]>;

/** One key's count in one window, as this process knows it. */
interface Entry {
  /** The shared total Redis last answered (every replica's increments it had by then). */
  shared: number;
  /** Increments counted here and not yet sent to Redis. */
  pending: number;
  /** Increments sent to Redis and not yet answered. */
  sending: number;
  /** When Redis last answered for this key in this window (0: never; a key first seen asks at once). */
  syncedAt: number;
  /** When the window ends (this process's clock, from Redis's PTTL once synced). */
  endsAt: number;
  windowMs: number;
}

/** The last part of a limit where every request asks Redis (at least the last request). */
const nearLimit = (max: number) => Math.max(1, Math.ceil(max / 10));

export interface SharedLimitOptions {
  /** Called when counting moves to this process alone (true) or back to Redis (false). */
  onModeChange?: (degraded: boolean) => void;
  batchMs?: number;
  maxLocalKeys?: number;
}

/**
 * A rate-limit store for @fastify/rate-limit (fixed windows) whose counts are shared by every
 * gateway replica through Redis, without a Redis round trip on most requests.
 *
 * Each process counts a key's requests itself and adds them to the key's counter in Redis in
 * batches, every BATCH_MS (one pipeline of an INCRBY/PTTL/PEXPIRE script per key with new
 * increments); each answer brings back the total of every replica, which the next requests are
 * counted on. A request waits for Redis (its key's increments are sent at once and the shared
 * total decides) only when the total this process knows for its key is older than two batches
 * (a key first seen, or a quiet one), and in the last tenth of a limit (at least its last
 * request) until the shared total is past it.
 *
 * The slack: a replica counts a busy key on a total at most two batch intervals (2 × BATCH_MS)
 * old, unaware of what the other replicas counted meanwhile, so past a limit each replica may
 * let through at most one batch of extra requests (those of the key it counts in that time,
 * while its estimate is below the last tenth). Every request, allowed or refused, reaches the
 * count in Redis within a batch.
 *
 * While Redis is unreachable (not connected, an error, or no answer within
 * SHARED_COUNT_TIMEOUT_MS) each process goes on counting alone from the last total it knew, so
 * a caller may make up to the limit at each replica and no request fails because the counter
 * is away; the increments of a window still open are added to Redis once it is back. Only
 * fixed windows: the plugin's continueExceeding and exponentialBackoff are refused.
 */
export function sharedWithLocalFallback(
  redis: Redis,
  nameSpace: string,
  logger: Logger,
  {
    onModeChange = () => undefined,
    batchMs = BATCH_MS,
    maxLocalKeys = MAX_LOCAL_KEYS,
  }: SharedLimitOptions = {},
) {
  let degraded = false;
  const mark = (now: boolean, reason?: string) => {
    if (now === degraded) return;
    degraded = now;
    if (now) logger.warn({ reason }, 'rate limits counted per process: Redis is unavailable');
    else logger.info('rate limits counted in Redis again');
    onModeChange(now);
  };

  const commandName = 'tthcRateLimitAdd';
  if (!(commandName in redis)) redis.defineCommand(commandName, { numberOfKeys: 1, lua: ADD_LUA });
  const add = (redis as unknown as Record<string, AddCommand>)[commandName]!.bind(redis);

  // Every store of this limiter (the routes' children too) counts in one table, flushed together.
  const entries = new Map<string, Entry>();
  /** Keys with increments not yet sent. */
  const dirty = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let sweptAt = Date.now();
  const staleAfter = 2 * batchMs;

  const take = (key: string, entry: Entry): number => {
    const by = entry.pending;
    entry.pending = 0;
    entry.sending += by;
    dirty.delete(key);
    return by;
  };
  const answered = (entry: Entry, by: number, [total, ttl]: [number, number]): Counted => {
    entry.sending -= by;
    entry.shared = total;
    entry.syncedAt = Date.now();
    entry.endsAt = entry.syncedAt + ttl;
    return { current: total, ttl };
  };
  // Not counted there: kept for the next batch of this window.
  const unanswered = (key: string, entry: Entry, by: number) => {
    entry.sending -= by;
    entry.pending += by;
    if (entries.get(key) === entry) dirty.add(key);
  };
  const failed = (err: unknown) => mark(true, err instanceof Error ? err.message : String(err));

  /**
   * The expiry a counter gets if Redis no longer holds it: what is left of this process's window,
   * so increments of a window that ended there never start a full new one.
   */
  const left = (entry: Entry, now: number) => Math.max(1, Math.min(entry.windowMs, entry.endsAt - now));

  /** Sends one entry's pending increments at once; resolves with Redis's answer, or rejects. */
  const send = (key: string, entry: Entry): Promise<Counted> => {
    const by = take(key, entry);
    return add(key, by, left(entry, Date.now())).then(
      (answer) => {
        mark(false);
        return answered(entry, by, answer);
      },
      (err: unknown) => {
        unanswered(key, entry, by);
        failed(err);
        throw err;
      },
    );
  };

  /** One pipeline of a batch's increments. */
  const sendChunk = (chunk: [string, Entry, number][], now: number): Promise<void> => {
    const pipeline = redis.pipeline() as unknown as Record<string, (...args: unknown[]) => unknown> & {
      exec: () => Promise<[Error | null, unknown][] | null>;
    };
    for (const [key, entry, by] of chunk) pipeline[commandName]!(key, by, left(entry, now));
    return pipeline.exec().then(
      (results) => {
        let error: Error | null = results ? null : new Error('no answer to the batch');
        chunk.forEach(([key, entry, by], i) => {
          const [err, answer] = results?.[i] ?? [error, null];
          if (err) {
            error = err;
            unanswered(key, entry, by);
          } else answered(entry, by, answer as [number, number]);
        });
        if (error) failed(error);
        else mark(false);
      },
      (err: unknown) => {
        for (const [key, entry, by] of chunk) unanswered(key, entry, by);
        failed(err);
      },
    );
  };

  /** Every key with new increments, in pipelines of PIPELINE_CHUNK. */
  const flush = (): Promise<void> => {
    timer = undefined;
    const sent: Promise<void>[] = [];
    const now = Date.now();
    if (now - sweptAt >= 1_000) {
      sweptAt = now;
      for (const [key, entry] of entries) if (entry.endsAt <= now) entries.delete(key);
    }
    if (redis.status !== 'ready') {
      if (dirty.size > 0) mark(true, `redis ${redis.status}`);
    } else if (dirty.size > 0) {
      const batch: [string, Entry, number][] = [];
      for (const key of [...dirty]) {
        const entry = entries.get(key);
        if (!entry || entry.endsAt <= now) {
          dirty.delete(key);
          continue;
        }
        batch.push([key, entry, take(key, entry)]);
      }
      for (let i = 0; i < batch.length; i += PIPELINE_CHUNK)
        sent.push(sendChunk(batch.slice(i, i + PIPELINE_CHUNK), now));
    }
    schedule();
    return Promise.all(sent).then(() => undefined);
  };
  const schedule = () => {
    if (timer || entries.size === 0) return;
    timer = setTimeout(() => void flush(), batchMs);
    timer.unref();
  };

  /**
   * Answers a request from Redis's count, or from this process's when Redis is not ready, fails,
   * or does not answer within SHARED_COUNT_TIMEOUT_MS (a reconnecting client would queue the
   * command and hold the request).
   */
  const answerFromRedis = (ask: () => Promise<Counted>, local: Counted, done: Done) => {
    if (redis.status !== 'ready') {
      mark(true, `redis ${redis.status}`);
      return done(null, local);
    }
    let settled = false;
    const settle = (result: Counted) => {
      if (settled) return;
      settled = true;
      clearTimeout(late);
      done(null, result);
    };
    const late = setTimeout(() => {
      mark(true, 'no answer in time');
      settle(local);
    }, SHARED_COUNT_TIMEOUT_MS);
    ask().then(settle, () => settle(local));
  };

  /** A key this process does not count itself: one request, one increment in Redis. */
  const countInRedis = (key: string, done: Done, windowMs: number) =>
    answerFromRedis(
      () =>
        add(key, 1, windowMs).then(
          ([current, ttl]) => {
            mark(false);
            return { current, ttl };
          },
          (err: unknown) => {
            failed(err);
            throw err;
          },
        ),
      { current: 1, ttl: windowMs },
      done,
    );

  const count = (key: string, done: Done, windowMs: number, max: number) => {
    const now = Date.now();
    let entry = entries.get(key);
    if (!entry || entry.endsAt <= now) {
      if (!entry && entries.size >= maxLocalKeys) return countInRedis(key, done, windowMs);
      entry = { shared: 0, pending: 0, sending: 0, syncedAt: 0, endsAt: now + windowMs, windowMs };
      entries.set(key, entry);
    }
    entry.pending += 1;
    dirty.add(key);
    schedule();
    const estimate = entry.shared + entry.sending + entry.pending;
    const local: Counted = { current: estimate, ttl: entry.endsAt - now };
    // A key counted here at least once a batch has its total refreshed by every batch; a quieter
    // one asks, as does the last part of a limit (past it, the answer stays a refusal).
    const ask = now - entry.syncedAt > staleAfter || (estimate > max - nearLimit(max) && entry.shared <= max);
    if (!ask) return done(null, local);
    const counted = entry;
    answerFromRedis(() => send(key, counted), local, done);
  };

  return class FallbackStore {
    /** Sends the increments not yet in Redis (at shutdown: a replica's last batch is not lost). */
    static async close(): Promise<void> {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (redis.status === 'ready') await flush();
      if (timer) clearTimeout(timer);
      timer = undefined;
    }

    readonly keyPrefix: string;

    // The plugin hands its resolved options (booleans set) to the store it constructs.
    constructor(
      params: { continueExceeding?: boolean; exponentialBackoff?: boolean },
      keyPrefix: string = nameSpace,
    ) {
      if (params.continueExceeding || params.exponentialBackoff)
        throw new Error('the shared rate-limit store counts fixed windows only');
      this.keyPrefix = keyPrefix;
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
      count(this.keyPrefix + key, done, timeWindow, max);
    }
  };
}
