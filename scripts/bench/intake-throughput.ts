/**
 * Intake throughput: dossiers filed per second end to end (HTTP through the gateway to the
 * intake, desk receipts with an Idempotency-Key, C concurrent clients for S seconds), at one
 * receiving agency and spread over four, against the raw insert ceiling measured in the same
 * run on the same database: C connections each committing one dossier row and one outbox row
 * per transaction (the same row shape), as fast as they can. Prints both, their ratio, latency
 * percentiles, and the events the outbox relay sent per second while the filings ran.
 *
 * Starts its own intake and gateway (services/{intake,gateway}/dist: build first) on a fresh
 * database and a private queue prefix, and removes both at the end.
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres TEST_REDIS_URL=redis://127.0.0.1:6379 \
 *     npx tsx scripts/bench/intake-throughput.ts [clients=16] [seconds=10]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  createDatabase,
  dropDatabase,
  identityHeaders,
  TEST_INTERNAL_SECRET,
  uniqueName,
} from '@tthc/testkit';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Pool } from 'undici';
import { cpuMsOf, ownCpuMs, pidsNamed } from './lib/processes';

const CLIENTS = Number(process.argv[2] ?? 16);
const SECONDS = Number(process.argv[3] ?? 10);
const ROOT = path.resolve(__dirname, '../..');
const AGENCIES = ['000.20.17.H55', '000.21.17.H55', '000.22.17.H55', '000.23.17.H55'];
const INTAKE_PORT = 13_000 + Math.floor(Math.random() * 500);
const GATEWAY_PORT = INTAKE_PORT + 500;

const pct = (xs: number[], p: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]! : NaN;

function start(name: string, env: Record<string, string>): ChildProcess {
  // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the services.
  const nodeArgs = (process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'services', name, 'dist', 'main.js')], {
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.on('exit', (code) => {
    if (code) console.error(`${name} exited with ${code}`);
  });
  return child;
}

async function until(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} never answered`);
}

const procedure = (i: number) => ({
  code: `9.00000${i}`,
  procedure_id: randomUUID(),
  version: 1,
  name: `Thủ tục thử tải ${i}`,
  field_code: 'DUOC_PHAM',
  deciding_agency_code: '000.00.17.H55',
  receiving_agency_code: AGENCIES[i]!,
  online_level: 'full',
  methods: JSON.stringify(
    ['direct', 'online', 'postal'].map((channel) => ({
      channel,
      processingTime: { value: 15, unit: 'working_days' },
      fees: [{ name: 'Phí thẩm định', amount: 500000 }],
      note: null,
    })),
  ),
  components: JSON.stringify([
    { case: null, name: 'Đơn đề nghị', originals: 1, copies: 0, formTemplate: null },
  ]),
  fee_bearing: true,
  valid_from: '2025-01-01',
});

const body = (i: number) =>
  JSON.stringify({
    procedureCode: `9.00000${i}`,
    source: 'desk',
    channel: 'direct',
    applicant: { kind: 'person', fullName: 'Nguyễn Văn An', idNumber: '001085012345', phone: '0912345678' },
    components: [{ name: 'Đơn đề nghị', digitized: true }],
  });

/**
 * C clients filing for S seconds; returns filings per second and latencies. The clients share an
 * undici keep-alive pool (C connections): lighter than fetch, so the load generator takes less of
 * the CPU the processes under test share with it.
 */
async function file(
  agencies: number,
  target: { url: string; headers: () => Record<string, string> },
  seconds = SECONDS,
): Promise<{ rate: number; lat: number[]; errors: number }> {
  const lat: number[] = [];
  let errors = 0;
  let n = 0;
  const pool = new Pool(target.url, { connections: CLIENTS, pipelining: 1 });
  const end = Date.now() + seconds * 1000;
  const t0 = Date.now();
  try {
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        while (Date.now() < end) {
          const i = (n++ + c) % agencies;
          const s = process.hrtime.bigint();
          const res = await pool.request({
            path: '/v1/dossiers',
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              ...target.headers(),
              'idempotency-key': `bench-${randomBytes(8).toString('hex')}`,
            },
            body: body(i),
          });
          await res.body.dump();
          if (res.statusCode === 201) lat.push(Number(process.hrtime.bigint() - s) / 1e6);
          else if (errors++ < 3) console.error(`HTTP ${res.statusCode}`);
        }
      }),
    );
  } finally {
    await pool.close();
  }
  return { rate: lat.length / ((Date.now() - t0) / 1000), lat, errors };
}

/** The ceiling: C connections, each committing one dossier row and one outbox row per transaction. */
async function raw(url: string, schema: string): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: CLIENTS, options: `-c search_path=${schema}` });
  const sample = await pool.query('select * from dossiers limit 1');
  const event = await pool.query('select * from outbox limit 1');
  const d = sample.rows[0] as Record<string, unknown>;
  const o = event.rows[0] as Record<string, unknown>;
  const dcols = Object.keys(d).filter((k) => !['id', 'code', 'created_at', 'updated_at'].includes(k));
  const ocols = ['type', 'source', 'entity_id', 'entity_version', 'schema_version', 'payload', 'request_id'];
  const insertDossier = `insert into dossiers (id, code, ${dcols.join(', ')}) values ($1, $2, ${dcols.map((_, i) => `$${i + 3}`).join(', ')})`;
  const insertEvent = `insert into outbox (id, ${ocols.join(', ')}) values ($1, ${ocols.map((_, i) => `$${i + 2}`).join(', ')})`;
  const dvals = dcols.map((k) =>
    d[k] !== null && typeof d[k] === 'object' && !(d[k] instanceof Date) ? JSON.stringify(d[k]) : d[k],
  );
  const ovals = ocols.map((k) => (k === 'payload' ? JSON.stringify(o[k]) : o[k]));
  let n = 0;
  const end = Date.now() + SECONDS * 1000;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const c = await pool.connect();
      try {
        while (Date.now() < end) {
          await c.query('begin');
          await c.query(insertDossier, [randomUUID(), `RAW-${randomUUID()}`, ...dvals]);
          await c.query(insertEvent, [randomUUID(), ...ovals]);
          await c.query('commit');
          n++;
        }
      } finally {
        c.release();
      }
    }),
  );
  const rate = n / ((Date.now() - t0) / 1000);
  await pool.query(`delete from outbox where entity_id = $1 and sent_at is null`, [o['entity_id']]);
  await pool.end();
  return rate;
}

/**
 * CPU used from now on, per process: the intake, the gateway, this bench (the clients), the
 * Postgres backends of the bench's database with the WAL writer, and Redis.
 */
async function cpuSnapshot(children: ChildProcess[], backends: () => Promise<number[]>) {
  // undefined when Redis does not run on this host: cpuMsOf reads it as 0
  const redisPid = pidsNamed('redis-server')[0];
  const read = (): Record<string, number> => ({
    intake: cpuMsOf(children[0]?.pid),
    gateway: cpuMsOf(children[1]?.pid),
    clients: ownCpuMs(),
    redis: cpuMsOf(redisPid),
  });
  const before = read();
  const pgBefore = new Map((await backends()).map((pid) => [pid, cpuMsOf(pid)]));
  return async (): Promise<Record<string, number>> => {
    const now = read();
    const out = Object.fromEntries(Object.keys(now).map((k) => [k, now[k]! - before[k]!]));
    // Backends opened during the run count from 0.
    out['postgres'] = (await backends()).reduce((a, pid) => a + cpuMsOf(pid) - (pgBefore.get(pid) ?? 0), 0);
    return out;
  };
}

/** What the bench database's backends are doing, sampled every 100 ms while the filings run. */
function sampleWaits(db: pg.Client, dbName: string) {
  const counts = new Map<string, number>();
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const rows = (
        await db.query<{ what: string }>(
          `select case when state = 'active' then 'active:' || coalesce(wait_event_type || ':' || wait_event, 'CPU')
                       else coalesce(state, 'unknown') end as what
             from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`,
          [dbName],
        )
      ).rows;
      for (const r of rows) counts.set(r.what, (counts.get(r.what) ?? 0) + 1);
      samples += rows.length;
      await new Promise((res) => setTimeout(res, 100));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return [...counts]
        .sort((a, b) => b[1] - a[1])
        .map(([what, n]) => `${what} ${((100 * n) / Math.max(1, samples)).toFixed(0)}%`)
        .join(', ');
    },
  };
}

async function main(): Promise<void> {
  const adminUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const name = uniqueName('intakebench_tp');
  const url = await createDatabase(adminUrl, name);
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const apiKey = `tthc_${randomBytes(4).toString('hex')}_${randomBytes(24).toString('hex')}`;
  const common = {
    DATABASE_URL: url,
    REDIS_URL: redisUrl,
    // The test kit's secret: the bench signs the gateway's assertion itself to call the intake directly.
    INTERNAL_AUTH_SECRET: TEST_INTERNAL_SECRET,
    QUEUE_PREFIX: prefix,
    HOST: '127.0.0.1',
  };
  const children: ChildProcess[] = [];
  const redis = new Redis(redisUrl);
  try {
    children.push(start('intake', { ...common, PORT: String(INTAKE_PORT) }));
    await until(`http://127.0.0.1:${INTAKE_PORT}/health`);
    children.push(
      start('gateway', {
        ...common,
        PORT: String(GATEWAY_PORT),
        INTAKE_URL: `http://127.0.0.1:${INTAKE_PORT}`,
        BOOTSTRAP_ADMIN_API_KEY: apiKey,
        RATE_LIMIT_PER_MINUTE: '100000000',
      }),
    );
    await until(`http://127.0.0.1:${GATEWAY_PORT}/health`);
    const db = new pg.Client({ connectionString: url, options: '-c search_path=intake' });
    await db.connect();
    const backends = async () =>
      (
        await db.query<{ pid: number }>(
          `select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()
           union all select pid from pg_stat_activity where backend_type = 'walwriter'`,
          [name],
        )
      ).rows.map((r) => r.pid);
    for (let i = 0; i < AGENCIES.length; i++) {
      const p = procedure(i);
      const cols = Object.keys(p);
      await db.query(
        `insert into procedure_versions (${cols.join(', ')}) values (${cols.map((_, j) => `$${j + 1}`).join(', ')})`,
        Object.values(p),
      );
      await db.query(
        `insert into procedure_status (code, effective_from, status, event_version) values ($1, '2025-01-01', 'published', 1)`,
        [p.code],
      );
    }
    // Warm up: connections, caches, JIT of the processes.
    const warm = await fetch(`http://127.0.0.1:${GATEWAY_PORT}/v1/dossiers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: body(0),
    });
    if (warm.status !== 201) throw new Error(`warm-up filing: HTTP ${warm.status} ${await warm.text()}`);
    console.log(`${CLIENTS} clients, ${SECONDS} s per run\n`);
    // The gateway's assertion lives a minute: a fresh one every 20 s for the direct runs.
    let assertion = await identityHeaders({
      sub: 'bench',
      kind: 'system',
      roles: ['admin'],
      agencyCode: null,
    });
    const renew = setInterval(() => {
      void identityHeaders({ sub: 'bench', kind: 'system', roles: ['admin'], agencyCode: null }).then(
        (h) => (assertion = h),
      );
    }, 20_000);
    const targets = [
      { name: 'at the intake', url: `http://127.0.0.1:${INTAKE_PORT}`, headers: () => assertion },
      {
        name: 'through the gateway',
        url: `http://127.0.0.1:${GATEWAY_PORT}`,
        headers: () => ({ 'x-api-key': apiKey }),
      },
    ];
    // Warm-up: the processes' JIT, pools and caches, through the gateway to the intake.
    await file(4, targets[1]!, 3);
    const results: [string, number][] = [];
    for (const target of targets)
      for (const agencies of [1, 4]) {
        const sentBefore = Number(
          (await db.query('select count(*) from outbox where sent_at is not null')).rows[0].count,
        );
        // This server runs without autovacuum (the development machines' setting). With it, tables
        // this small are vacuumed and analyzed within a minute (50 rows plus a fifth of the table),
        // and the outbox at its own thresholds at any size (orderOutboxClaim), so the claims read
        // their indexes with statistics. Between runs, do what it would have done.
        await db.query('vacuum analyze');
        const t0 = Date.now();
        const cpuSince = await cpuSnapshot(children, backends);
        const waits = sampleWaits(db, name);
        const r = await file(agencies, target);
        const waited = await waits.stop();
        const used = await cpuSince();
        // The relay's rate over the run and until it caught up (at most 10 s more).
        let pending = 1;
        for (let i = 0; i < 50 && pending > 0; i++) {
          pending = Number(
            (await db.query('select count(*) from outbox where sent_at is null')).rows[0].count,
          );
          if (pending > 0) await new Promise((res) => setTimeout(res, 200));
        }
        const sent =
          Number((await db.query('select count(*) from outbox where sent_at is not null')).rows[0].count) -
          sentBefore;
        const relayed = sent / ((Date.now() - t0) / 1000);
        const label = `${target.name}, ${agencies} agenc${agencies === 1 ? 'y' : 'ies'}`;
        console.log(
          `${label}: ${r.rate.toFixed(0)} dossiers/s, p50 ${pct(r.lat, 0.5).toFixed(1)} ms, p99 ${pct(r.lat, 0.99).toFixed(1)} ms, ` +
            `errors ${r.errors}; relay ${relayed.toFixed(0)} events/s (${(relayed / r.rate / 2).toFixed(2)}× the 2 events a receipt writes), backlog after ${pending}`,
        );
        const filed = r.lat.length || 1;
        console.log(
          `  CPU ms per dossier: ${Object.entries(used)
            .map(([who, ms]) => `${who} ${(ms / filed).toFixed(2)}`)
            .join(', ')}; total ${(Object.values(used).reduce((a, b) => a + b, 0) / filed).toFixed(2)} ` +
            `(2 cores give ${(2000 / (Object.values(used).reduce((a, b) => a + b, 0) / filed)).toFixed(0)} dossiers/s at that cost)`,
        );
        console.log(`  the bench database's backends, sampled every 100 ms: ${waited}`);
        results.push([label, r.rate]);
      }
    clearInterval(renew);
    const ceiling = await raw(url, 'intake');
    console.log(`raw ceiling (1 dossier row + 1 outbox row per transaction): ${ceiling.toFixed(0)} /s`);
    for (const [label, rate] of results) console.log(`ratio, ${label}: ${(rate / ceiling).toFixed(2)}`);
    await db.end();
  } finally {
    for (const c of children.reverse()) {
      c.kill('SIGTERM');
      await new Promise((r) => c.once('exit', r));
    }
    const keys = await redis.keys(`${prefix}:*`);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    await redis.quit();
    await dropDatabase(adminUrl, name);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
