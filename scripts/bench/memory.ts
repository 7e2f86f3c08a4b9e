/**
 * Memory (issue 12, item 5): each process's resident memory, idle and under load. Starts the five
 * services as deployed (`node services/<name>/dist/main.js`, one process each, the gateway in front
 * of the four others, the demo catalogue loaded by the catalogue at start as `npm start` does), then
 * samples every process's VmRSS (and VmHWM, its peak since start) from /proc/<pid>/status:
 *
 *   1. idle: after a settle, over an idle window in which nothing is sent;
 *   2. under load, for `--seconds` through the gateway with an administrator API key: desk receipts
 *      with an Idempotency-Key at `--rate` a second from `--clients` clients (a fixed schedule; a
 *      client behind it sends its next at once, and the phase ends on time: the rate reached is
 *      printed), catalogue reads (autocannon, at most `--reads` a second, over procedures and a list
 *      page), desk lists (one client, a page every 200 ms), and `--reports` Biểu 06 reports of the
 *      last closed quarter (XLSX) polled to done and downloaded;
 *   3. after: once the reports are done and the outboxes and queues are drained, a settle, then an
 *      idle window again (does the memory come back?).
 *
 * Prints a table: process | RSS idle | RSS under load (max) | peak (VmHWM) | RSS after, and each
 * service's V8 heap in use at the end of each phase (its /metrics).
 *
 *   npx turbo run build
 *   npx tsx scripts/bench/memory.ts [--seconds 20] [--rate 50] [--clients 8] [--reads 100] [--reports 2]
 *                                   [--settle 5] [--idle 10]
 *
 * Postgres from BENCH_DATABASE_URL or TEST_DATABASE_URL (a role that may create databases; a database
 * of its own is created and dropped), Redis from BENCH_REDIS_URL or TEST_REDIS_URL (keys under a
 * prefix of the run's own, removed at the end). Defaults: 127.0.0.1:5432 and :6379. Linux only
 * (/proc). On any failure, or Ctrl-C, the processes are stopped and the database dropped; a process
 * that exits before the end is reported and the run exits non-zero.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import pg from 'pg';
import { memoryOf, startService, type Memory, type Started } from './lib/processes';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number >= 0`);
  return value;
};
const SECONDS = arg('seconds', 20);
const RATE = arg('rate', 50);
const CLIENTS = Math.max(1, arg('clients', 8));
const READS = arg('reads', 100);
const REPORTS = arg('reports', 2);
const SETTLE_S = arg('settle', 5);
const IDLE_S = arg('idle', 10);
const SAMPLE_MS = 250;

const adminUrl =
  process.env['BENCH_DATABASE_URL'] ??
  process.env['TEST_DATABASE_URL'] ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env['BENCH_REDIS_URL'] ?? process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const ROOT = path.resolve(__dirname, '../..');
const BACKENDS = ['catalogue', 'intake', 'kpi', 'reports'] as const;
const PROCESSES = [...BACKENDS, 'gateway'] as const;
type Name = (typeof PROCESSES)[number];
type Phase = 'start' | 'idle' | 'load' | 'drain' | 'after';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (kb: number | undefined) => (kb === undefined ? '—' : `${(kb / 1024).toFixed(1)} MB`);
const median = (xs: number[]) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : undefined;
const pct = (xs: number[], p: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]! : NaN;

/** The last quarter that is over (a report's period must be), e.g. 2026-Q3 on 1 December 2026. */
function lastClosedQuarter(now = new Date()): string {
  const q = Math.floor(now.getUTCMonth() / 3); // the current quarter, 0-based
  return q === 0 ? `${now.getUTCFullYear() - 1}-Q4` : `${now.getUTCFullYear()}-Q${q}`;
}

interface DemoProcedure {
  code: string;
  applicantTypes?: string[];
  methods: { channel: string }[];
  components: { case: string | null; name: string }[];
}

/** Demo procedures a person can file at the desk, every component required (no case to choose). */
function deskProcedures(): DemoProcedure[] {
  const file = path.join(ROOT, 'services/catalogue/seed/demo-catalogue.json');
  const { procedures } = JSON.parse(readFileSync(file, 'utf8')) as { procedures: DemoProcedure[] };
  return procedures
    .filter(
      (p) =>
        (p.applicantTypes ?? []).includes('person') &&
        p.methods.some((m) => m.channel === 'direct') &&
        p.components.every((c) => c.case === null),
    )
    .slice(0, 8);
}

const receipt = (p: DemoProcedure) =>
  JSON.stringify({
    procedureCode: p.code,
    source: 'desk',
    channel: 'direct',
    applicant: { kind: 'person', fullName: 'Nguyễn Văn An', idNumber: '001085012345', phone: '0912345678' },
    components: p.components.map((c) => ({ name: c.name, digitized: true })),
  });

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  phase: Phase;
}

async function main(): Promise<void> {
  const run = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const database = `tthc_bench_mem_${run}`;
  const prefix = `tthc-bench-mem-${run}`;
  const secret = randomBytes(32).toString('hex');
  // The administrator key `npm start` makes for a local installation (BOOTSTRAP_ADMIN_API_KEY), one of the run's own.
  const adminKey = `tthc_${randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8)}_${randomBytes(32).toString('base64url')}`;
  const children = new Map<Name, ChildProcess>();
  const started: Started[] = [];
  const exits = new Map<Name, Exit>();
  let phase: Phase = 'start';
  let databaseCreated = false;

  let cleaning: Promise<void> | null = null;
  const cleanup = () =>
    (cleaning ??= (async () => {
      // the gateway first, so nothing new reaches the services that are going away
      for (const s of [...started].reverse()) await s.stop().catch(() => undefined);
      for (const child of children.values())
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if (databaseCreated) {
        const c = new pg.Client({ connectionString: adminUrl });
        await c.connect();
        await c.query(`drop database if exists "${database}" with (force)`).finally(() => c.end());
      }
      const redis = new Redis(redisUrl);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.unlink(...keys);
      } while (cursor !== '0');
      redis.disconnect();
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      console.error(`${signal}: stopping the services and dropping the database`);
      void cleanup().finally(() => process.exit(130));
    });

  const samples = new Map<Name, Map<Phase, Memory[]>>(PROCESSES.map((n) => [n, new Map()]));
  let maxLoad = 0;
  const sampler = setInterval(() => {
    maxLoad = Math.max(maxLoad, loadavg()[0]!);
    for (const [name, child] of children) {
      const m = memoryOf(child.pid);
      if (!m) continue;
      const byPhase = samples.get(name)!;
      if (!byPhase.has(phase)) byPhase.set(phase, []);
      byPhase.get(phase)!.push(m);
    }
  }, SAMPLE_MS);

  try {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`create database "${database}"`).finally(() => c.end());
    databaseCreated = true;
    const dbUrl = new URL(adminUrl);
    dbUrl.pathname = `/${database}`;
    // What `npm start` gives every service (scripts/start.mjs), on the run's own database and prefix.
    const common = {
      DATABASE_URL: dbUrl.toString(),
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: prefix,
      INTERNAL_AUTH_SECRET: secret,
      MIGRATE_ON_START: 'true',
      SEED_DEMO_DATA: 'true',
    };
    const track = (name: Name) => (child: ChildProcess) => {
      children.set(name, child);
      child.once('exit', (code, signal) => {
        exits.set(name, { code, signal, phase });
        if (!cleaning)
          console.error(`${name} exited during the ${phase} phase (${signal ?? `code ${code}`})`);
      });
    };
    const t0 = Date.now();
    const backends = await Promise.all(
      BACKENDS.map((name) => startService(name, common, { onSpawn: track(name), timeoutMs: 120_000 })),
    );
    started.push(...backends);
    const [catalogue, intake, kpi, reports] = backends;
    const gateway = await startService(
      'gateway',
      {
        ...common,
        CATALOGUE_URL: catalogue!.url,
        INTAKE_URL: intake!.url,
        KPI_URL: kpi!.url,
        REPORTS_URL: reports!.url,
        BOOTSTRAP_ADMIN_API_KEY: adminKey,
        // The limiter still counts every request in Redis; it must not refuse the benchmark's.
        RATE_LIMIT_PER_MINUTE: '1000000000',
      },
      { onSpawn: track('gateway'), timeoutMs: 120_000 },
    );
    started.push(gateway);
    for (const s of started) await waitReady(s);
    const startS = (Date.now() - t0) / 1000;

    // The demo catalogue reaches intake as events (or intake asks the catalogue): file one of each
    // procedure the load files until intake takes them.
    const procedures = deskProcedures();
    if (procedures.length === 0) throw new Error('no demo procedure a person can file at the desk');
    const api = gateway.url;
    const headers = { 'content-type': 'application/json', 'x-api-key': adminKey };
    for (const p of procedures) {
      for (let attempt = 0; ; attempt++) {
        const res = await fetch(`${api}/v1/dossiers`, {
          method: 'POST',
          headers: { ...headers, 'idempotency-key': `bench-${randomBytes(8).toString('hex')}` },
          body: receipt(p),
        });
        const text = await res.text();
        if (res.status === 201) break;
        if (attempt >= 60) throw new Error(`filing ${p.code} before the load: HTTP ${res.status} ${text}`);
        await sleep(500);
      }
    }

    // 1. idle
    await sleep(SETTLE_S * 1000);
    phase = 'idle';
    await sleep(IDLE_S * 1000);

    // 2. under load
    const heapIdle = await heapsUsed(started, adminKey);
    phase = 'load';
    const loadStart = Date.now();
    const end = loadStart + SECONDS * 1000;
    const filed: number[] = [];
    let filingErrors = 0;
    const filings = Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        for (let k = 0; ; k++) {
          // a fixed schedule: request k of this client at (k × clients + client) / rate seconds
          const at = loadStart + ((k * CLIENTS + client) / Math.max(RATE, 0.001)) * 1000;
          if (RATE === 0 || at >= end) return;
          if (at > Date.now()) await sleep(at - Date.now());
          // behind the schedule (the machine cannot keep the rate): the phase still ends on time
          if (Date.now() >= end) return;
          const s = performance.now();
          try {
            const res = await fetch(`${api}/v1/dossiers`, {
              method: 'POST',
              headers: { ...headers, 'idempotency-key': `bench-${randomBytes(8).toString('hex')}` },
              body: receipt(procedures[(k * CLIENTS + client) % procedures.length]!),
            });
            const text = await res.text();
            if (res.status === 201) filed.push(performance.now() - s);
            else if (filingErrors++ < 3) console.error(`filing: HTTP ${res.status} ${text.slice(0, 200)}`);
          } catch (err) {
            if (filingErrors++ < 3) console.error(`filing: ${(err as Error).message}`);
          }
        }
      }),
    );
    const reads =
      READS > 0
        ? autocannon({
            url: api,
            connections: 10,
            overallRate: READS,
            duration: SECONDS,
            requests: [
              ...procedures.map((p) => ({ method: 'GET' as const, path: `/v1/procedures/${p.code}` })),
              { method: 'GET' as const, path: '/v1/procedures?limit=50' },
            ],
          })
        : null;
    const listPaths = [
      '/v1/dossiers?limit=50',
      '/v1/dossiers?status=received&agencyCode=000.20.17.H55&limit=50',
      '/v1/dossiers?sort=due&limit=50',
    ];
    const listed: number[] = [];
    let listErrors = 0;
    const lists = (async () => {
      for (let i = 0; Date.now() < end; i++) {
        const s = performance.now();
        try {
          const res = await fetch(`${api}${listPaths[i % listPaths.length]}`, { headers });
          await res.arrayBuffer();
          if (res.ok) listed.push(performance.now() - s);
          else listErrors++;
        } catch {
          listErrors++;
        }
        await sleep(200);
      }
    })();
    const quarter = lastClosedQuarter();
    const reportRuns = Array.from(
      { length: REPORTS },
      async (_, i): Promise<{ seconds: number; bytes: number }> => {
        // spread over the load: the first at its start, the others after it
        await sleep(((i * SECONDS) / Math.max(REPORTS, 1)) * 1000);
        const s = Date.now();
        const res = await fetch(`${api}/v1/reports`, {
          method: 'POST',
          headers: { ...headers, 'idempotency-key': `bench-${randomBytes(8).toString('hex')}` },
          body: JSON.stringify({
            kind: 'dossier-statistics',
            params: { period: quarter, byProcedure: i % 2 === 1 },
            formats: ['xlsx'],
          }),
        });
        const created = (await res.json()) as { id?: string };
        if (res.status !== 202 || !created.id)
          throw new Error(`report request: HTTP ${res.status} ${JSON.stringify(created)}`);
        for (;;) {
          const r = await fetch(`${api}/v1/reports/${created.id}`, { headers });
          const report = (await r.json()) as {
            status: string;
            reason?: string | null;
            files?: { href: string }[];
          };
          if (report.status === 'failed') throw new Error(`report ${created.id} failed: ${report.reason}`);
          if (report.status === 'done') {
            const file = await fetch(`${api}${report.files?.[0]?.href ?? ''}`, { headers });
            const bytes = (await file.arrayBuffer()).byteLength;
            if (!file.ok) throw new Error(`report file: HTTP ${file.status}`);
            return { seconds: (Date.now() - s) / 1000, bytes };
          }
          if (Date.now() - s > 120_000)
            throw new Error(`report ${created.id} not done after 120 s (${report.status})`);
          await sleep(500);
        }
      },
    ).map((p) =>
      p.then(
        (r) => r,
        (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
      ),
    ); // awaited after the load
    const [, readResult] = await Promise.all([filings, reads, lists]);
    const loadS = (Date.now() - loadStart) / 1000;

    // 3. after: the reports done, the events relayed and consumed, then idle again
    const heapLoad = await heapsUsed(started, adminKey);
    phase = 'drain';
    const reportResults = [];
    for (const r of await Promise.all(reportRuns)) {
      if (r instanceof Error) throw r;
      reportResults.push(r);
    }
    const drainStart = Date.now();
    const drained = await waitDrained(dbUrl.toString(), prefix, 120_000);
    const drainS = (Date.now() - drainStart) / 1000;
    await sleep(SETTLE_S * 1000);
    phase = 'after';
    await sleep(IDLE_S * 1000);
    clearInterval(sampler);
    const heapAfter = await heapsUsed(started, adminKey);

    const date = new Date().toISOString();
    console.log(
      `\nmemory: ${PROCESSES.length} processes as deployed, started and ready in ${startS.toFixed(1)} s; ` +
        `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}, ` +
        `load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')} at the end (max ${maxLoad.toFixed(2)}), ${date}`,
    );
    console.log(
      `idle: ${IDLE_S} s after a ${SETTLE_S} s settle (median of samples every ${SAMPLE_MS} ms); load: ${SECONDS} s ` +
        `(${loadS.toFixed(1)} s with its last requests); after: ${IDLE_S} s once drained (${drained ? `${drainS.toFixed(1)} s` : 'not drained in 120 s'}) and a ${SETTLE_S} s settle`,
    );
    const filedRate = filed.length / loadS;
    console.log(
      `load: ${filed.length} desk receipts (${filedRate.toFixed(1)}/s of ${RATE}/s asked, ${CLIENTS} clients, ` +
        `p50 ${pct(filed, 0.5).toFixed(0)} ms, p99 ${pct(filed, 0.99).toFixed(0)} ms, ${filingErrors} errors); ` +
        (readResult
          ? `${readResult.requests.total} catalogue reads (${readResult.requests.average.toFixed(0)}/s of ${READS}/s asked, ` +
            `p99 ${readResult.latency.p99} ms, ${readResult.non2xx} non-2xx, ${readResult.errors + readResult.timeouts} errors); `
          : '') +
        `${listed.length} desk lists (p50 ${pct(listed, 0.5).toFixed(0)} ms, ${listErrors} errors); ` +
        `${reportResults.length} Biểu 06 ${quarter} XLSX (${reportResults
          .map((r) => `${r.seconds.toFixed(1)} s, ${(r.bytes / 1024).toFixed(0)} kB`)
          .join('; ')})\n`,
    );
    console.log(
      '| process | RSS idle | RSS under load (max) | peak (VmHWM) | RSS after | after − idle | V8 heap used: idle / end of load / after |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    const totals = { idle: 0, load: 0, hwm: 0, after: 0 };
    for (const name of PROCESSES) {
      const byPhase = samples.get(name)!;
      const rss = (p: Phase) => (byPhase.get(p) ?? []).map((m) => m.rssKb);
      const idle = median(rss('idle'));
      const loadMax = rss('load').length ? Math.max(...rss('load')) : undefined;
      const all = [...byPhase.values()].flat();
      const hwm = all.length ? Math.max(...all.map((m) => m.hwmKb)) : undefined;
      const after = median(rss('after'));
      totals.idle += idle ?? 0;
      totals.load += loadMax ?? 0;
      totals.hwm += hwm ?? 0;
      totals.after += after ?? 0;
      const exit = exits.get(name);
      const delta =
        idle !== undefined && after !== undefined
          ? `${after >= idle ? '+' : '−'}${mb(Math.abs(after - idle))}`
          : '—';
      console.log(
        `| ${name}${exit ? ` (exited during ${exit.phase}: ${exit.signal ?? `code ${exit.code}`})` : ''} | ${mb(idle)} | ${mb(loadMax)} | ${mb(hwm)} | ${mb(after)} | ${delta} | ${[heapIdle, heapLoad, heapAfter].map((h) => mb(h.get(name))).join(' / ')} |`,
      );
    }
    // a sum over the five only when all five ran to the end
    if (exits.size === 0)
      console.log(
        `| all five | ${mb(totals.idle)} | ${mb(totals.load)} (sum of maxima) | ${mb(totals.hwm)} | ${mb(totals.after)} | ${totals.after >= totals.idle ? '+' : '−'}${mb(Math.abs(totals.after - totals.idle))} | |`,
      );
    if (exits.size > 0) throw new Error(`${[...exits.keys()].join(', ')} exited before the end of the run`);
  } finally {
    clearInterval(sampler);
    await cleanup();
  }
}

/**
 * Each service's V8 heap in use (kB), from its /metrics (prom-client's nodejs_heap_size_used_bytes):
 * beside the RSS, it tells objects kept from memory the process holds but does not use.
 */
async function heapsUsed(services: Started[], adminKey: string): Promise<Map<string, number>> {
  const heaps = new Map<string, number>();
  for (const s of services) {
    try {
      const text = await (
        await fetch(`${s.url}/metrics`, {
          // the gateway's /metrics is on its public port, for administrators
          headers: { 'x-api-key': adminKey },
          signal: AbortSignal.timeout(5000),
        })
      ).text();
      const bytes = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)$/m.exec(text)?.[1];
      if (bytes !== undefined) heaps.set(s.name, Number(bytes) / 1024);
    } catch {
      // gone or not answering: left out
    }
  }
  return heaps;
}

/** Waits until a started service's /ready answers 200 (its database, Redis and queues up). */
async function waitReady(s: Started, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (s.child.exitCode !== null || s.child.signalCode !== null)
      throw new Error(`${s.name} exited before it was ready`);
    try {
      const res = await fetch(`${s.url}/ready`, { signal: AbortSignal.timeout(5000) });
      last = `HTTP ${res.status} ${(await res.text()).slice(0, 200)}`;
      if (res.ok) return;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(250);
  }
  throw new Error(`${s.name} not ready after ${timeoutMs / 1000} s: ${last}`);
}

/**
 * Waits until every service's outbox has sent its events and no queue of the run has a job waiting
 * or running (the load's events consumed: kpi's facts, the notifications, the reports' jobs).
 * Scheduled (delayed) jobs, the services' cron schedules, do not count.
 */
async function waitDrained(dbUrl: string, prefix: string, timeoutMs: number): Promise<boolean> {
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  const redis = new Redis(redisUrl);
  try {
    const { rows } = await db.query<{ schema: string }>(
      `select table_schema as schema from information_schema.tables where table_name = 'outbox'`,
    );
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      let pending = 0;
      for (const { schema } of rows) {
        const r = await db.query<{ n: string }>(
          `select count(*) as n from "${schema}".outbox where sent_at is null`,
        );
        pending += Number(r.rows[0]!.n);
      }
      let jobs = 0;
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) {
          if (key.endsWith(':wait') || key.endsWith(':active')) jobs += await redis.llen(key);
          else if (key.endsWith(':prioritized')) jobs += await redis.zcard(key);
        }
      } while (cursor !== '0');
      if (pending === 0 && jobs === 0) return true;
      await sleep(500);
    }
    return false;
  } finally {
    await db.end();
    redis.disconnect();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
