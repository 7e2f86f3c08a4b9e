import { randomUUID } from 'node:crypto';
import { eventually } from '@tthc/testkit';
import { Redis } from 'ioredis';
import { startSuite, type Suite } from '../support/suite';
import { startOwnRedis, type OwnRedis } from './support/redis-server';

/**
 * Redis stopped for a few seconds under load, with every process of the suite on a redis-server
 * of this test's own: the gateway's rate limiter counts per process meanwhile (no 500 reaches a
 * client), /ready says Redis is down, intake keeps accepting dossiers through the gateway, and
 * the limiter counts in Redis again once it is back.
 */

const OUTAGE_MS = 5_000;
const PROCEDURE = '1.001919';
const COMPONENTS = [
  'Văn bản đề nghị bổ nhiệm giám định viên pháp y, pháp y tâm thần của Giám đốc Sở Y tế',
  'Bản sao văn bằng tốt nghiệp đại học chuyên ngành y khoa phù hợp',
  'Sơ yếu lý lịch và Phiếu lý lịch tư pháp',
  'Văn bản xác nhận thời gian thực tế hoạt động chuyên môn của cơ quan, tổ chức nơi người được đề nghị làm việc',
  'Chứng chỉ đã qua đào tạo hoặc bồi dưỡng nghiệp vụ giám định pháp y, pháp y tâm thần',
].map((name) => ({ name, digitized: true }));
const filing = () => ({
  procedureCode: PROCEDURE,
  source: 'desk',
  channel: 'direct',
  applicant: { kind: 'person', fullName: 'Lê Thị Hoa', phone: '0905111222' },
  components: COMPONENTS,
});

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
    let phase: Phase = 'before';
    let running = true;

    const client = async (n: number) => {
      for (let i = 0; running; i++) {
        const at = phase;
        try {
          if ((n + i) % 3 === 0) {
            const r = await file();
            statuses[at][r.status] = (statuses[at][r.status] ?? 0) + 1;
            if (r.status === 201 && r.code) accepted[at].push(r.code);
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
    await redis.start();
    phase = 'after';
    await eventually(async () => ((await ready()).status === 200 ? true : undefined), {
      timeoutMs: 15_000,
      what: '/ready to report Redis up again',
    });
    await new Promise((r) => setTimeout(r, 1_500));
    running = false;
    await load;

    expect(problems).toEqual([]);
    for (const p of ['before', 'during', 'after'] as const) {
      expect(Object.keys(statuses[p]).filter((s) => Number(s) >= 500)).toEqual([]);
      expect(accepted[p].length).toBeGreaterThan(0);
    }
    expect(statuses.during[200]).toBeGreaterThan(0);

    // Every dossier acknowledged while Redis was away exists.
    for (const code of accepted.during) {
      const res = await fetch(`${suite.url}/v1/dossiers/${code}`, { headers: suite.adminHeaders });
      expect(res.status).toBe(200);
    }

    // Counting is back in Redis: each request through the gateway adds one there.
    await eventually(
      async () => {
        const before = await sharedCount();
        for (let i = 0; i < 3; i++) {
          const res = await fetch(`${suite.url}/v1/fields`, { headers: suite.adminHeaders });
          await res.arrayBuffer();
        }
        return (await sharedCount()) - before === 3 ? true : undefined;
      },
      { timeoutMs: 5_000, what: 'rate-limit counts to reach Redis again' },
    );
  }, 90_000);
});
