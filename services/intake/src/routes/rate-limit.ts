import type { Redis } from 'ioredis';

/**
 * A fixed-window counter in Redis (shared by every replica): true while `key` has been hit at
 * most `limit` times in the current window.
 */
export async function withinLimit(
  redis: Redis,
  key: string,
  limit: number,
  windowSeconds: number,
): Promise<{ ok: boolean; retryAfter: number }> {
  const window = Math.floor(Date.now() / 1000 / windowSeconds);
  const k = `${key}:${window}`;
  const [[, count], [, ttl]] = (await redis.multi().incr(k).expire(k, windowSeconds, 'NX').ttl(k).exec()) as [
    [null, number],
    [null, number],
    [null, number],
  ];
  return { ok: count <= limit, retryAfter: ttl > 0 ? ttl : windowSeconds };
}
