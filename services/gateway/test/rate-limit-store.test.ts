import { createTestRedis, eventually, type TestRedis } from '@tthc/testkit';
import { Redis } from 'ioredis';
import pino from 'pino';
import { BATCH_MS, sharedWithLocalFallback } from '../src/limits/fallback-store';

/**
 * Issue 12: the gateway's rate-limit store counts in the process and adds its counts to Redis in
 * batches; two stores on two Redis connections stand for two gateway replicas.
 */

let testRedis: TestRedis;
const clients: Redis[] = [];
const logger = pino({ level: 'silent' });

type Counted = { current: number; ttl: number };

function connect(url = testRedis.url): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  client.on('error', () => undefined);
  clients.push(client);
  return client;
}

/** A connection that is ready, as a gateway's is once it serves. */
async function ready(): Promise<Redis> {
  const client = connect();
  await client.ping();
  return client;
}

/** A replica's store, as the plugin constructs it (its resolved options). */
function replica(
  redis: Redis,
  nameSpace: string,
  onModeChange?: (degraded: boolean) => void,
  options: { maxLocalKeys?: number; batchMs?: number } = {},
) {
  const Store = sharedWithLocalFallback(redis, nameSpace, logger, { onModeChange, ...options });
  return Object.assign(new Store({ continueExceeding: false, exponentialBackoff: false }), {
    close: () => Store.close(),
  });
}

function incr(
  store: { incr: (k: string, d: (e: Error | null, r?: Counted) => void, w: number, m: number) => void },
  key: string,
  windowMs: number,
  max: number,
): Promise<Counted> {
  return new Promise((resolve, reject) =>
    store.incr(
      key,
      (err, res) => (err || !res ? reject(err ?? new Error('no count')) : resolve(res)),
      windowMs,
      max,
    ),
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let n = 0;
const nameSpaceOf = () => `${testRedis.prefix}:rl:${++n}:`;

beforeAll(async () => {
  testRedis = createTestRedis();
  await connect().ping();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await testRedis.clean();
});

describe('the shared rate-limit store', () => {
  it('holds one limit across two replicas within one batch of slack, and every count reaches Redis', async () => {
    const nameSpace = nameSpaceOf();
    const probe = await ready();
    const [a, b] = [replica(await ready(), nameSpace), replica(await ready(), nameSpace)];
    const max = 100;
    const window = 60_000;

    // 30 at one replica; once a batch has gone, the other continues from their total.
    for (let i = 0; i < 30; i++) await incr(a, 'key:k1', window, max);
    await sleep(BATCH_MS * 3);
    expect(await probe.get(`${nameSpace}key:k1`)).toBe('30');
    const first = await incr(b, 'key:k1', window, max);
    expect(first.current).toBe(31);
    expect(first.ttl).toBeGreaterThan(window - 5_000);
    expect(first.ttl).toBeLessThanOrEqual(window);

    // Then both at once, a request every few ms each, until each has been refused 10 times.
    const gap = 5;
    let allowed = 31;
    let made = 31;
    const refusals = [0, 0];
    while (refusals[0]! < 10 || refusals[1]! < 10) {
      const answers = await Promise.all([incr(a, 'key:k1', window, max), incr(b, 'key:k1', window, max)]);
      made += 2;
      answers.forEach((r, i) => {
        if (r.current > max) refusals[i]! += 1;
        else allowed += 1;
        expect(r.ttl).toBeGreaterThan(0);
      });
      await sleep(gap);
    }
    // At most what the other replica made within one batch beyond the limit; never below it.
    const perBatch = Math.ceil(BATCH_MS / gap) + 1;
    expect(allowed).toBeGreaterThanOrEqual(max);
    expect(allowed).toBeLessThanOrEqual(max + 2 * perBatch);
    // Every request, allowed or refused, is counted in Redis within a batch.
    await eventually(
      async () => ((await probe.get(`${nameSpace}key:k1`)) === String(made) ? true : undefined),
      {
        timeoutMs: 2_000,
        what: 'every count in Redis',
      },
    );
  });

  it('refuses at the limit when requests come one by one, whichever replica takes them', async () => {
    const nameSpace = nameSpaceOf();
    const [a, b] = [replica(await ready(), nameSpace), replica(await ready(), nameSpace)];
    const answers: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await incr(i % 2 ? b : a, 'ip:10.0.0.1', 60_000, 10);
      answers.push(r.current);
      // one request per batch: each replica knows the other's count
      await sleep(BATCH_MS * 2);
    }
    expect(answers).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('starts a new window when the old one ends, in Redis and in the process', async () => {
    const nameSpace = nameSpaceOf();
    const probe = await ready();
    const store = replica(await ready(), nameSpace);
    const window = 400;
    const counts: number[] = [];
    for (let i = 0; i < 4; i++) counts.push((await incr(store, 'key:w', window, 3)).current);
    expect(counts).toEqual([1, 2, 3, 4]);
    const pttl = await probe.pttl(`${nameSpace}key:w`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(window);
    await sleep(window + 100);
    const next = await incr(store, 'key:w', window, 3);
    expect(next.current).toBe(1);
    expect(next.ttl).toBeLessThanOrEqual(window);
  });

  it('gives a counter Redis no longer holds only what is left of the window, never a full new one', async () => {
    const nameSpace = nameSpaceOf();
    const probe = await ready();
    const store = replica(await ready(), nameSpace, undefined, { batchMs: 10_000 });
    const window = 2_000;
    await incr(store, 'key:left', window, 100);
    // Redis lost the counter (a restart, a flush) while this process's window runs on.
    await probe.del(`${nameSpace}key:left`);
    await sleep(600);
    await incr(store, 'key:left', window, 100);
    await store.close();
    const pttl = await probe.pttl(`${nameSpace}key:left`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(window - 500);
  });

  it('sends the increments not yet in Redis when it closes', async () => {
    const nameSpace = nameSpaceOf();
    const probe = await ready();
    const store = replica(await ready(), nameSpace, undefined, { batchMs: 60_000 });
    // The first request asks Redis; the next ones wait for a batch that is a minute away.
    for (let i = 0; i < 5; i++) await incr(store, 'key:close', 60_000, 100);
    expect(Number(await probe.get(`${nameSpace}key:close`))).toBeLessThan(5);
    await store.close();
    expect(Number(await probe.get(`${nameSpace}key:close`))).toBe(5);
  });

  it('counts a key in Redis directly once it counts as many keys as it may hold', async () => {
    const nameSpace = nameSpaceOf();
    const probe = await ready();
    const store = replica(await ready(), nameSpace, undefined, { maxLocalKeys: 3, batchMs: 60_000 });
    for (const k of ['a', 'b', 'c']) await incr(store, `key:${k}`, 60_000, 100);
    // A fourth key: every request one increment in Redis, at once.
    for (let i = 1; i <= 3; i++) expect((await incr(store, 'key:d', 60_000, 2)).current).toBe(i);
    expect(Number(await probe.get(`${nameSpace}key:d`))).toBe(3);
    await store.close();
  });

  it('counts a route with limits of its own under keys of its own', async () => {
    const nameSpace = nameSpaceOf();
    const probe = await ready();
    const store = replica(await ready(), nameSpace);
    const route = store.child({ routeInfo: { method: 'GET', url: '/v1/tracking/:code' } });
    await incr(store, 'ip:1', 60_000, 5);
    await incr(route, 'ip:1', 60_000, 5);
    expect((await incr(route, 'ip:1', 60_000, 5)).current).toBe(2);
    await sleep(BATCH_MS * 3);
    expect(await probe.get(`${nameSpace}ip:1`)).toBe('1');
    expect(await probe.get(`${nameSpace}GET/v1/tracking/:code-ip:1`)).toBe('2');
  });

  it('counts in the process while Redis is unreachable, from the last total it knew, and back in Redis after', async () => {
    const nameSpace = nameSpaceOf();
    const probe = await ready();
    const modes: boolean[] = [];
    const client = await ready();
    const store = replica(client, nameSpace, (degraded) => modes.push(degraded));
    expect((await incr(store, 'key:o', 60_000, 4)).current).toBe(1);
    expect((await incr(store, 'key:o', 60_000, 4)).current).toBe(2);

    // The connection drops: no request waits for it or fails.
    client.disconnect();
    await eventually(async () => (client.status === 'end' ? true : undefined), {
      timeoutMs: 2_000,
      what: 'the connection to close',
    });
    const started = Date.now();
    const during = [];
    for (let i = 0; i < 3; i++) during.push((await incr(store, 'key:o', 60_000, 4)).current);
    expect(Date.now() - started).toBeLessThan(300);
    expect(during).toEqual([3, 4, 5]);
    expect(modes).toEqual([true]);

    // Connected again: the increments of the window still open reach Redis.
    await client.connect();
    expect((await incr(store, 'key:o', 60_000, 4)).current).toBe(6);
    await eventually(async () => ((await probe.get(`${nameSpace}key:o`)) === '6' ? true : undefined), {
      timeoutMs: 2_000,
      what: 'the counts of the outage in Redis',
    });
    expect(modes).toEqual([true, false]);
  });

  it('counts per process when Redis never answered', async () => {
    const store = replica(connect('redis://127.0.0.1:1'), nameSpaceOf());
    const counts: number[] = [];
    for (let i = 0; i < 4; i++) counts.push((await incr(store, 'ip:2', 60_000, 3)).current);
    expect(counts).toEqual([1, 2, 3, 4]);
  });

  it('refuses the options it does not count correctly', () => {
    const Store = sharedWithLocalFallback(connect(), nameSpaceOf(), logger);
    expect(() => new Store({ continueExceeding: true })).toThrow(/fixed windows/);
  });
});
