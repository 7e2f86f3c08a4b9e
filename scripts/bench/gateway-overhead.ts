/**
 * Gateway overhead (issue 12, item 5): the same cached catalogue read, at the catalogue service,
 * through a bare proxy (scripts/bench/lib/bare-proxy.ts: node:http and an undici pool, nothing
 * else) and through the gateway, each a process of its own as deployed; prints req/s and latency
 * of each, the ratio to the service (target >= 0.7) and to the bare proxy (the gateway's own
 * overhead beyond the hop any proxy adds), and the CPU each process spends per 1,000 requests.
 *
 *   npx turbo run build && npx tsx scripts/bench/gateway-overhead.ts [seconds] [connections] [rounds]
 *
 * The machine is shared and noisy: the four paths are measured in turn, `rounds` times, and
 * each path's median round is reported, so a burst of load elsewhere does not favour one path.
 *
 * Postgres from BENCH_DATABASE_URL or TEST_DATABASE_URL (a role that may create databases; a
 * database of its own is created and dropped), Redis from BENCH_REDIS_URL or TEST_REDIS_URL (keys
 * under a prefix of the run's own, removed at the end). Defaults: 127.0.0.1:5432 and :6379.
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import pg from 'pg';
import { signIdentity } from '@tthc/service-kit';
import { freePort, startProcess, startService, type Started } from './lib/processes';

const seconds = Number(process.argv[2] ?? 3);
const connections = Number(process.argv[3] ?? 16);
const rounds = Number(process.argv[4] ?? 3);
const adminUrl =
  process.env['BENCH_DATABASE_URL'] ??
  process.env['TEST_DATABASE_URL'] ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env['BENCH_REDIS_URL'] ?? process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const PATH = '/v1/procedures/1.001919';

interface Run {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** CPU ms per 1,000 requests spent by the proxy in the path (none at the service) and by the catalogue. */
  proxyCpu: number | null;
  serviceCpu: number;
}

interface Target {
  label: string;
  url: string;
  headers: Record<string, string>;
  /** The process between the client and the catalogue, if any. */
  proxy: Started | null;
}

async function measure({ label, url, headers, proxy }: Target, service: Started): Promise<Run> {
  const before = [proxy?.cpuMs() ?? 0, service.cpuMs()] as const;
  const r = await autocannon({ url, headers, connections, duration: seconds });
  const perThousand = (used: number) => (used / Math.max(1, r.requests.total)) * 1000;
  return {
    proxyCpu: proxy ? perThousand(proxy.cpuMs() - before[0]) : null,
    serviceCpu: perThousand(service.cpuMs() - before[1]),
    label,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  const run = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const database = `tthc_bench_gw_${run}`;
  const prefix = `tthc-bench-gw-${run}`;
  const secret = randomBytes(32).toString('hex');
  const adminKey = `tthc_${randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8)}_${randomBytes(32).toString('base64url')}`;
  await withAdmin((c) => c.query(`create database "${database}"`));
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${database}`;
  const common = {
    DATABASE_URL: dbUrl.toString(),
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    INTERNAL_AUTH_SECRET: secret,
  };
  const started: Started[] = [];
  try {
    const catalogue = await startService('catalogue', { ...common, SEED_DEMO_DATA: 'true' });
    started.push(catalogue);
    const unused = `http://127.0.0.1:${await freePort()}`;
    const gateway = await startService('gateway', {
      ...common,
      CATALOGUE_URL: catalogue.url,
      INTAKE_URL: unused,
      KPI_URL: unused,
      REPORTS_URL: unused,
      BOOTSTRAP_ADMIN_API_KEY: adminKey,
      // The limiter still counts every request in Redis; it must not refuse the benchmark's.
      RATE_LIMIT_PER_MINUTE: '1000000000',
    });
    started.push(gateway);
    const bare = await startProcess('bare proxy', ['--import', 'tsx', 'scripts/bench/lib/bare-proxy.ts'], {
      UPSTREAM_URL: catalogue.url,
    });
    started.push(bare);

    // The catalogue trusts only the gateway's signed assertion: sign one as the gateway would.
    const identity = await signIdentity(secret, {
      sub: 'anonymous',
      kind: 'anonymous',
      roles: [],
      agencyCode: null,
      agencyScope: null,
    });
    const probe = await fetch(catalogue.url + PATH, { headers: { 'x-tthc-identity': identity } });
    if (!probe.ok) throw new Error(`the catalogue answered ${probe.status} to ${PATH}`);

    const signed = { 'x-tthc-identity': identity };
    const targets: Target[] = [
      { label: 'at the service (signed identity)', url: catalogue.url + PATH, headers: signed, proxy: null },
      {
        label: 'through the bare proxy (signed identity)',
        url: bare.url + PATH,
        headers: signed,
        proxy: bare,
      },
      { label: 'through the gateway, anonymous', url: gateway.url + PATH, headers: {}, proxy: gateway },
      {
        label: 'through the gateway, API key',
        url: gateway.url + PATH,
        headers: { 'x-api-key': adminKey },
        proxy: gateway,
      },
    ];
    // A short warm-up fills the caches and the connection pools.
    for (const t of targets) await autocannon({ url: t.url, headers: t.headers, connections, duration: 1 });
    const all: Run[][] = targets.map(() => []);
    for (let round = 0; round < rounds; round++) {
      for (const [i, t] of targets.entries()) all[i]!.push(await measure(t, catalogue));
    }
    const runs = all.map((rs) => [...rs].sort((a, b) => a.rps - b.rps)[Math.floor(rs.length / 2)]!);
    const [service, hop] = [runs[0]!, runs[1]!];
    console.log(
      `\ngateway overhead: GET ${PATH} (cached), ${connections} connections, median of ${rounds} rounds of ${seconds} s, ` +
        `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg()[0]!.toFixed(2)}, ` +
        `Node ${process.version}, ${new Date().toISOString()}\n`,
    );
    console.log(
      '| path | req/s | p50 ms | p99 ms | non-2xx | errors | ratio to the service | ratio to the bare proxy | proxy CPU ms / 1k req | catalogue CPU ms / 1k req |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const [i, r] of runs.entries()) {
      console.log(
        `| ${r.label} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} | ` +
          `${(r.rps / service.rps).toFixed(2)} | ${i >= 1 ? (r.rps / hop.rps).toFixed(2) : '–'} | ` +
          `${r.proxyCpu === null ? '–' : r.proxyCpu.toFixed(0)} | ${r.serviceCpu.toFixed(0)} |`,
      );
    }
    // What a request through a proxy costs in CPU, against what the read costs at the service:
    // the machine's load moves req/s a lot, CPU per request much less. Where the client, the
    // proxy and the service share the cores, the service's share of a proxied request's CPU is
    // what the ratio would be if CPU were the only limit.
    const ceiling = (r: Run) => service.serviceCpu / ((r.proxyCpu ?? 0) + r.serviceCpu);
    console.log(
      `the service's share of a proxied request's CPU (the ratio if CPU were the only limit): bare proxy ${ceiling(hop).toFixed(2)}, ` +
        `gateway anonymous ${ceiling(runs[2]!).toFixed(2)}, API key ${ceiling(runs[3]!).toFixed(2)}`,
    );
    const gatewayRuns = runs.slice(2);
    const worst = Math.min(...gatewayRuns.map((r) => r.rps / service.rps));
    const worstToHop = Math.min(...gatewayRuns.map((r) => r.rps / hop.rps));
    console.log(
      `\nratio (worst gateway path / service): ${worst.toFixed(2)} (target >= 0.7); ` +
        `bare proxy / service: ${(hop.rps / service.rps).toFixed(2)}; worst gateway path / bare proxy: ${worstToHop.toFixed(2)}`,
    );
  } finally {
    for (const s of started.reverse()) await s.stop();
    await withAdmin((c) => c.query(`drop database if exists "${database}" with (force)`));
    const redis = new Redis(redisUrl);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
