import type { Redis } from 'ioredis';

/** How long a count waits on Redis before this process counts alone. */
export const SHARED_COUNT_TIMEOUT_MS = 200;
const MAX_LOCAL_KEYS = 50_000;

type Outcome = { ok: boolean; retryAfter: number };

/**
 * Window counters in Redis (shared by every replica), falling back to counting in this process
 * while Redis is unreachable (not connected, an error, or no answer within
 * SHARED_COUNT_TIMEOUT_MS): during an outage a caller may make up to the limit at each replica,
 * and no request fails or hangs because the counter is away.
 *
 * A key's window opens at its first hit and lasts `windowSeconds` (the counter expires then), so
 * a burst is counted whole: windows cut at the clock's minute would let a caller who starts just
 * before the minute make twice the limit in a few seconds.
 */
export class WindowCounter {
  private readonly local = new Map<string, { count: number; until: number }>();

  constructor(
    private readonly redis: Redis,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a hit of `key`: ok while it has been hit at most `limit` times in the current window. */
  async hit(key: string, limit: number, windowSeconds: number): Promise<Outcome> {
    const shared = await this.shared(async () => {
      const [[, count], , [, ttl]] = (await this.redis
        .multi()
        .incr(key)
        .expire(key, windowSeconds, 'NX')
        .ttl(key)
        .exec()) as [[null, number], [null, number], [null, number]];
      return { ok: count <= limit, retryAfter: ttl > 0 ? ttl : windowSeconds };
    });
    if (shared) return shared;
    const entry = this.localEntry(key, windowSeconds);
    entry.count += 1;
    return {
      ok: entry.count <= limit,
      retryAfter: Math.max(1, Math.ceil((entry.until - this.now()) / 1000)),
    };
  }

  /** The hits of `key` in the current window, without counting one. */
  async count(key: string): Promise<number> {
    const shared = await this.shared(async () => Number((await this.redis.get(key)) ?? 0));
    if (shared !== undefined) return shared;
    const entry = this.local.get(key);
    return entry && entry.until > this.now() ? entry.count : 0;
  }

  private async shared<T>(op: () => Promise<T>): Promise<T | undefined> {
    if (this.redis.status !== 'ready') return undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        op(),
        new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), SHARED_COUNT_TIMEOUT_MS);
        }),
      ]);
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  private localEntry(k: string, windowSeconds: number) {
    const now = this.now();
    let entry = this.local.get(k);
    if (!entry || entry.until <= now) {
      if (this.local.size >= MAX_LOCAL_KEYS) {
        for (const [key, e] of this.local) if (e.until <= now) this.local.delete(key);
        if (this.local.size >= MAX_LOCAL_KEYS) this.local.clear();
      }
      entry = { count: 0, until: now + windowSeconds * 1000 };
      this.local.set(k, entry);
    }
    return entry;
  }
}
