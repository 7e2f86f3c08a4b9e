import { createTestRedis } from '@tthc/testkit';
import { Redis } from 'ioredis';
import { WindowCounter } from '../src/routes/rate-limit';

/**
 * The tracking limits' counter: a window opens at a key's first hit, in Redis and in the
 * process's own fallback alike, so a burst that crosses the clock's minute is counted whole.
 */

const testRedis = createTestRedis();
let redis: Redis;
beforeAll(async () => {
  redis = new Redis(testRedis.url, { maxRetriesPerRequest: 1 });
  await redis.ping();
});
afterAll(async () => {
  await testRedis.clean();
  redis.disconnect();
});

const hits = async (counter: WindowCounter, key: string, n: number, limit: number) => {
  const out: boolean[] = [];
  for (let i = 0; i < n; i++) out.push((await counter.hit(key, limit, 60)).ok);
  return out;
};

describe('WindowCounter in Redis', () => {
  it('refuses the hit after the limit, says when the window ends, and keeps a count for count()', async () => {
    const counter = new WindowCounter(redis);
    const key = `${testRedis.prefix}:ip:a`;
    expect(await hits(counter, key, 4, 3)).toEqual([true, true, true, false]);
    const refused = await counter.hit(key, 3, 60);
    expect(refused.ok).toBe(false);
    expect(refused.retryAfter).toBeGreaterThan(0);
    expect(refused.retryAfter).toBeLessThanOrEqual(60);
    expect(await counter.count(key)).toBe(5);
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
    expect(await counter.count(`${testRedis.prefix}:ip:never`)).toBe(0);
  });

  it('does not move the end of a window with later hits', async () => {
    const counter = new WindowCounter(redis);
    const key = `${testRedis.prefix}:ip:b`;
    await counter.hit(key, 3, 60);
    await redis.expire(key, 5); // as if the window had opened 55 s ago
    await counter.hit(key, 3, 60);
    expect(await redis.ttl(key)).toBeLessThanOrEqual(5);
  });
});

describe('WindowCounter while Redis is away', () => {
  let away: Redis;
  beforeAll(() => {
    away = new Redis(testRedis.url, { lazyConnect: true }); // never connected: status is not ready
  });
  afterAll(() => away.disconnect());

  it('counts a burst across the clock minute in one window that opens at the first hit', async () => {
    let now = Date.parse('2026-12-02T09:00:59.500Z');
    const counter = new WindowCounter(away, () => now);
    expect(await hits(counter, 'k', 2, 3)).toEqual([true, true]);
    now += 1_000; // 09:01:00.500: a new clock minute, the same window
    expect(await hits(counter, 'k', 2, 3)).toEqual([true, false]);
    expect(await counter.count('k')).toBe(4);
    const refused = await counter.hit('k', 3, 60);
    expect(refused).toEqual({ ok: false, retryAfter: 59 });

    now = Date.parse('2026-12-02T09:01:59.500Z'); // the window (from 09:00:59.5) has ended
    expect(await counter.count('k')).toBe(0);
    expect(await hits(counter, 'k', 3, 3)).toEqual([true, true, true]);
  });
});
