import { randomUUID } from 'node:crypto';
import { eventually } from '@tthc/testkit';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { startSuite, type Suite } from '../support/suite';
import { startOwnRedis, type OwnRedis } from './support/redis-server';
import { FILING } from '../support/filings';

/**
 * Redis stopped for a few seconds under load, with every process of the suite on a redis-server
 * of this test's own: the gateway's rate limiter counts per process meanwhile (no 500 reaches a
 * client), /ready says Redis is down, intake keeps accepting dossiers through the gateway and
 * answering citizens' tracking (its own limits count per process too), no loop holds a
 * transaction open waiting for Redis, the limiter counts in Redis again once it is back, and
 * every dossier accepted before, during and after reaches kpi.
 */

const OUTAGE_MS = 5_000;
const PROCEDURE = FILING.procedureCode;
const filing = () => FILING;

let redis: OwnRedis;
let suite: Suite;
let probe: Redis;

beforeAll(async () => {
  redis = await startOwnRedis();
  suite = await startSuite(() => new Date(), {
    demoCatalogue: true,
    redisUrl: redis.url,
    gatewayEnv: { RATE_LIMIT_PER_MINUTE: '100000' },
  });
  probe = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  probe.on('error', () => undefined);
  // The intake learns of the demo procedures through the outbox and Redis.
  await eventually(
    async () => {
      const r = await file();
      return r.status === 201 ? true : undefined;
    },
    { timeoutMs: 60_000, what: 'the intake to accept a dossier for a demo procedure' },
  );
}, 120_000);

afterAll(async () => {
  await redis?.start().catch(() => undefined); // whatever happened, let the suite close cleanly
  probe?.disconnect();
  await suite?.close();
  await redis?.dispose();
}, 60_000);

async function file(base = suite.url) {
  const res = await fetch(`${base}/v1/dossiers`, {
    method: 'POST',
    headers: { ...suite.adminHeaders, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify(filing()),
    // A request held while Redis is away counts as a failure, not as a slow success.
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await res.json()) as { code?: string };
  return { status: res.status, code: body.code, headers: res.headers };
}

async function ready(base = suite.url) {
  const res = await fetch(`${base}/ready`);
  return { status: res.status, body: (await res.json()) as { checks?: Record<string, string> } };
}

/** Sums the gateway's rate-limit counters of API keys, as Redis holds them. */
async function sharedCount(): Promise<number> {
  const keys = await probe.keys(`${suite.resources.bus.prefix}:rl:gw:key:*`);
  const values = keys.length > 0 ? await probe.mget(...keys) : [];
  return values.reduce((sum, v) => sum + Number(v ?? 0), 0);
}

type Phase = 'before' | 'during' | 'after';

describe('the gateway while Redis is stopped under load', () => {
  it('answers no 500, reports Redis down on /ready, keeps accepting dossiers and recovers', async () => {
    const statuses: Record<Phase, Record<number, number>> = { before: {}, during: {}, after: {} };
    const accepted: Record<Phase, string[]> = { before: [], during: [], after: [] };
    const problems: string[] = [];
    const tracked: Record<Phase, number> = { before: 0, during: 0, after: 0 };
    let phase: Phase = 'before';
    let running = true;

    const client = async (n: number) => {
      for (let i = 0; running; i++) {
        const at = phase;
        try {
          const known = accepted.before[0];
          if ((n + i) % 3 === 0) {
            const r = await file();
            statuses[at][r.status] = (statuses[at][r.status] ?? 0) + 1;
            if (r.status === 201 && r.code) accepted[at].push(r.code);
          } else if ((n + i) % 5 === 1 && known) {
            // A citizen tracking a dossier: intake's own per-address limit counts without Redis too.
            const res = await fetch(`${suite.url}/v1/tracking/${encodeURIComponent(known)}`, {
              headers: { 'x-verification': '0905111222' },
              signal: AbortSignal.timeout(5_000),
            });
            await res.arrayBuffer();
            statuses[at][res.status] = (statuses[at][res.status] ?? 0) + 1;
            tracked[at] += res.status === 200 ? 1 : 0;
          } else {
            const path = i % 2 ? `/v1/procedures/${PROCEDURE}` : '/v1/procedures?limit=5';
            const res = await fetch(suite.url + path, {
              headers: n % 2 ? suite.adminHeaders : {},
              signal: AbortSignal.timeout(5_000),
            });
            await res.arrayBuffer();
            statuses[at][res.status] = (statuses[at][res.status] ?? 0) + 1;
          }
        } catch (err) {
          problems.push(`${at}: ${(err as Error).message}`);
        }
      }
    };
    const load = Promise.all(Array.from({ length: 6 }, (_, n) => client(n)));
    // The load stops whatever happens below, or the clients would outlive the test.
    let heldTransactions: { n: number; q: string | null } | undefined;
    try {
      await new Promise((r) => setTimeout(r, 1_500));
      expect((await ready()).status).toBe(200);

      phase = 'during';
      await redis.stop();
      const down = await eventually(
        async () => {
          const r = await ready();
          return r.status === 503 ? r : undefined;
        },
        { timeoutMs: 4_000, what: '/ready to report Redis down' },
      );
      expect(down.body.checks?.['redis']).toBe('down');

      // A replica with a small limit still limits, per process, with Retry-After.
      const strict = await suite.anotherGateway({ RATE_LIMIT_PER_MINUTE: '3' });
      const answers: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${strict}/v1/procedures/${PROCEDURE}`, { headers: suite.adminHeaders });
        await res.arrayBuffer();
        answers.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get('retry-after');
      }
      expect(answers).toEqual([200, 200, 200, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);

      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      // The relay backs off without holding a transaction open while it cannot publish.
      const held = await sql<{ n: string; q: string | null }>`
        select count(*) as n, string_agg(application_name || ': ' || left(query, 200), ' | ') as q from pg_stat_activity
        where datname = current_database() and state like 'idle in transaction%'
          and now() - state_change > interval '1 second'`.execute(suite.resources.db);
      heldTransactions = { n: Number(held.rows[0]!.n), q: held.rows[0]!.q };
      await redis.start();
      phase = 'after';
      await eventually(async () => ((await ready()).status === 200 ? true : undefined), {
        timeoutMs: 15_000,
        what: '/ready to report Redis up again',
      });
      await new Promise((r) => setTimeout(r, 1_500));
    } finally {
      running = false;
      await load;
    }

    // (the statements of any held transaction are named, to say which loop holds it)
    expect(heldTransactions).toEqual({ n: 0, q: null });
    expect(problems).toEqual([]);
    for (const p of ['before', 'during', 'after'] as const) {
      expect(Object.keys(statuses[p]).filter((s) => Number(s) >= 500)).toEqual([]);
      expect(accepted[p].length).toBeGreaterThan(0);
    }
    expect(statuses.during[200]).toBeGreaterThan(0);
    expect(tracked.during).toBeGreaterThan(0);

    // Every dossier accepted, before, during and after the outage, reaches kpi once Redis is back.
    const all = [...accepted.before, ...accepted.during, ...accepted.after];
    const kpiDb = suite.resources.dbFor<any>('kpi');
    await eventually(
      async () => {
        const r = await sql<{ n: string }>`
          select count(distinct code) as n from dossiers where code in (${sql.join(all)})`.execute(kpiDb);
        return Number(r.rows[0]!.n) === all.length ? true : undefined;
      },
      { timeoutMs: 30_000, what: 'every accepted dossier in kpi' },
    );

    // Every dossier acknowledged while Redis was away exists.
    for (const code of accepted.during) {
      const res = await fetch(`${suite.url}/v1/dossiers/${code}`, { headers: suite.adminHeaders });
      expect(res.status).toBe(200);
    }

    // Counting is back in Redis: each request through the gateway adds one there, within a batch.
    const batch = () => new Promise((r) => setTimeout(r, 300));
    await eventually(
      async () => {
        await batch();
        const before = await sharedCount();
        for (let i = 0; i < 3; i++) {
          const res = await fetch(`${suite.url}/v1/fields`, { headers: suite.adminHeaders });
          await res.arrayBuffer();
        }
        await batch();
        return (await sharedCount()) - before === 3 ? true : undefined;
      },
      { timeoutMs: 5_000, what: 'rate-limit counts to reach Redis again' },
    );
  }, 90_000);
});
