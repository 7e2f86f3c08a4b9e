/**
 * Benchmark of the kpi figures (issue 13, Speed). On a province-year generated in bulk
 * (scripts/generate/province-year.ts):
 *  - the quarterly statistics table and the full indicator set for the whole department
 *    (000.00.17.H55 and its units), through the kpi API (app.inject: validation, scope,
 *    serialization) and as functions, each also computed directly over every dossier's
 *    timeline (directFigures) in the same run: target < 500 ms and >= 20x faster than direct;
 *  - a drill-down's first page through the API: target < 100 ms;
 *  - event lag: receipt events of new dossiers committed to an outbox at a fixed rate (one
 *    transaction per dossier, as intake commits a receipt) and sent on by the outbox relay (in
 *    this process, nudged by each commit, as in intake's), from the commit to the completion of
 *    the job of events that carried it (its facts committed, BullMQ told), the consumer in a
 *    process of its own as deployed (kpi-figures-consumer.ts): target p99 < 250 ms at 500
 *    dossiers/s. The consumer is warmed up first (--warmup seconds at the rate, 5: a
 *    deployed consumer runs for days, and a process just started spends the first seconds
 *    compiling its hot paths, 0.72–0.85 of a core where it needs 0.41–0.50 once warm), then left
 *    idle (--pause seconds, 15: the pool closes its idle connections after 10 s) before the
 *    burst, as a burst meets it. `--warmup 1 --pause 0` measures a consumer just started.
 *    `--only lag` measures the lag alone.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/kpi_bench REDIS_URL=redis://127.0.0.1:6379 \
 *     npx tsx scripts/bench/kpi-figures.ts --dossiers 20000 [--rate 100] [--seconds 10] [--runs 7] [--reuse] [--only lag]
 *       [--warmup 5] [--pause 15]
 *
 * BENCH_CONSUMER_ARGS passes node options to the consumer's process ("--cpu-prof --cpu-prof-dir=/tmp/prof");
 * BENCH_KPI_EVENTS the event worker's options as JSON ('{"writers":3,"lingerMs":5}').
 *
 * The database named is filled (its dossier tables emptied first) unless --reuse finds exactly
 * that many dossiers already generated. docs/performance.md ("KPI figures") has the results.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createOutboxTable, emitEvent, OutboxRelay } from '@tthc/bus';
import { eventRoutes, type Identity } from '@tthc/contracts';
import { createDb, withTransaction } from '@tthc/db';
import { createLogger, signIdentity } from '@tthc/service-kit';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { buildApp } from '../../services/kpi/src/app';
import { SCHEMA, type KpiDb } from '../../services/kpi/src/db/schema';
import { rebuildRollups } from '../../services/kpi/src/facts/rebuild';
import { resolveFigureRequest } from '../../services/kpi/src/figures/figure-request';
import {
  directFigures,
  periodFigures,
  type FigureSource,
} from '../../services/kpi/src/figures/period-figures';
import { statisticsTable } from '../../services/kpi/src/figures/statistics';
import { indicatorSet } from '../../services/kpi/src/indicators/indicator-set';
import { generateProvinceYear } from '../generate/province-year';
import { cpuMsOf, ownCpuMs, pidsNamed } from './lib/processes';

const DEPARTMENT = '000.00.17.H55';
const QUARTER = '2026-Q2';
/** Where the lag phase keeps its outbox (dropped afterwards). */
const OUTBOX_SCHEMA = 'bench_outbox';

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};
const ms = (x: number) => Math.round(x * 10) / 10;

async function timed<T>(
  runs: number,
  fn: () => Promise<T>,
): Promise<{ median: number; max: number; last: T }> {
  await fn(); // warm-up: plans cached, pages in memory
  const times: number[] = [];
  let last: T | undefined;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = await fn();
    times.push(performance.now() - t0);
  }
  return { median: ms(pct(times, 50)), max: ms(Math.max(...times)), last: last as T };
}

async function main(): Promise<void> {
  const databaseUrl = process.env['BENCH_DATABASE_URL'];
  const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const dossiers = Number(arg('dossiers'));
  if (!databaseUrl || !Number.isInteger(dossiers) || dossiers < 1) {
    console.error(
      'usage: BENCH_DATABASE_URL=postgres://... [REDIS_URL=...] tsx scripts/bench/kpi-figures.ts --dossiers N [--rate R] [--seconds S] [--runs K] [--reuse]',
    );
    process.exit(2);
  }
  const runs = Number(arg('runs', '7'));
  const rate = Number(arg('rate', '100'));
  const seconds = Number(arg('seconds', '10'));
  const warmup = Number(arg('warmup', '5'));
  const pause = Number(arg('pause', '15'));

  const db = createDb<KpiDb>({ connectionString: databaseUrl, schema: SCHEMA, applicationName: 'bench-kpi' });
  const intake = createDb<any>({
    connectionString: databaseUrl,
    schema: 'intake',
    applicationName: 'bench-kpi',
  });
  const held = await intake
    .selectFrom('dossiers')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirst()
    .catch(() => undefined);
  if (!(process.argv.includes('--reuse') && held?.n === dossiers)) {
    console.log(`generating a province-year of ${dossiers} dossiers...`);
    const g = await generateProvinceYear({
      databaseUrl,
      dossiers,
      reset: true,
      log: (l) => console.log(`  ${l}`),
    });
    console.log(`  generated in ${g.seconds.toFixed(1)} s: ${g.received} received, ${g.events} events`);
  }
  const [{ facts, events }] = (
    await sql<{ facts: number; events: number }>`
      select (select count(*)::int from kpi.dossiers) as facts, (select count(*)::int from kpi.dossier_events) as events`.execute(
      db,
    )
  ).rows as [{ facts: number; events: number }];

  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const prefix = `bench-kpi-${randomUUID().slice(0, 8)}`;
  const secret = randomUUID() + randomUUID();
  const logger = createLogger('bench', 'warn');
  const app = await buildApp({
    config: { INTERNAL_AUTH_SECRET: secret },
    logger,
    db,
    redis,
    queuePrefix: prefix,
    clock: () => new Date('2027-01-05T02:00:00Z'),
  });
  const reporter: Identity = {
    sub: 'bench-reporter',
    kind: 'officer',
    roles: ['reporter'],
    agencyCode: null,
    agencyScope: null,
  } as Identity;
  const get = async (url: string) => {
    const res = await app.inject({
      method: 'GET',
      url,
      headers: { 'x-tthc-identity': await signIdentity(secret, reporter) },
    });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    return res.json() as any;
  };

  const q = `period=${QUARTER}&agencyCode=${DEPARTMENT}`;
  const req = await resolveFigureRequest(db, reporter, { period: QUARTER, agencyCode: DEPARTMENT });
  const tableBy = (figures: FigureSource) => () =>
    statisticsTable(
      db,
      { period: req.period, scope: req.scope, byProcedure: false, compare: false },
      figures,
    );
  const setBy = (figures: FigureSource) => () => indicatorSet(db, req.period, req.scope, figures);

  const figures = arg('only') === 'lag' ? undefined : await measureFigures();
  async function measureFigures() {
    console.log(`measuring (${runs} runs each after a warm-up; median and max in ms)...`);
    const apiTable = await timed(runs, () => get(`/v1/kpi/statistics?${q}`));
    const apiSet = await timed(runs, () => get(`/v1/kpi/indicators?${q}`));
    const fnTable = await timed(runs, tableBy(periodFigures));
    const fnSet = await timed(runs, setBy(periodFigures));
    const directTable = await timed(Math.max(1, Math.min(3, runs)), tableBy(directFigures));
    const directSet = await timed(Math.max(1, Math.min(3, runs)), setBy(directFigures));
    const same =
      JSON.stringify(fnTable.last.total) === JSON.stringify(directTable.last.total) &&
      JSON.stringify(fnSet.last.total) === JSON.stringify(directSet.last.total);

    const drills: Record<string, { median: number; max: number; value: number }> = {};
    for (const column of ['resolvedLate', 'inProgressOverdue', 'inProgress', 'received']) {
      const r = await timed(runs, () => get(`/v1/kpi/statistics/drill-down?${q}&column=${column}&limit=50`));
      drills[column] = { median: r.median, max: r.max, value: r.last.value };
    }
    const criterion = await timed(runs, () =>
      get(`/v1/kpi/indicators/progress.on_time?${q}&part=denominator&limit=50`),
    );
    return { apiTable, apiSet, fnTable, fnSet, directTable, directSet, same, drills, criterion };
  }

  // Event lag: receipt events of new dossiers (copies of generated ones, new ids) committed to an
  // outbox at a fixed rate, one transaction per dossier as intake commits a receipt, sent on by the
  // outbox relay (nudged by each commit, as in intake's process) and consumed by kpi's event
  // worker in a process of its own (as deployed), warmed up first. The consumer reports when each
  // job of events completed (kpi-figures-consumer.ts); times are epoch ms in both processes.
  const now = () => performance.timeOrigin + performance.now();
  const done = new Map<string, number>();
  // Write out what the generation, the figures' runs or the previous run's rebuild left dirty,
  // so the lag phase does not measure their write-back: a steady server, not one still settling
  // a bulk load (the time it took is printed).
  const checkpointStarted = performance.now();
  await sql`checkpoint`.execute(db);
  const checkpointMs = Math.round(performance.now() - checkpointStarted);
  const consumer = fork(path.join(__dirname, 'kpi-figures-consumer.ts'), [], {
    execArgv: ['--import', 'tsx', ...(process.env['BENCH_CONSUMER_ARGS'] ?? '').split(' ').filter(Boolean)],
    env: { ...process.env, BENCH_DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, BENCH_QUEUE_PREFIX: prefix },
  });
  await new Promise<void>((resolve, reject) => {
    consumer.once('message', () => resolve());
    consumer.once('exit', (code) => reject(new Error(`the consumer exited with ${code}`)));
  });
  consumer.on('message', (m: { completed?: [string, number][] }) => {
    for (const [id, at] of m.completed ?? []) done.set(id, at);
  });
  await sql`drop schema if exists ${sql.id(OUTBOX_SCHEMA)} cascade`.execute(db);
  await sql`create schema ${sql.id(OUTBOX_SCHEMA)}`.execute(db);
  const outbox = createDb<any>({
    connectionString: databaseUrl,
    schema: OUTBOX_SCHEMA,
    applicationName: 'bench-kpi',
  });
  await createOutboxTable(outbox);
  // The relay on a pool of its own, as the services give it (openResources' outboxDb): its
  // statements do not queue behind the commits.
  const relayDb = createDb<any>({
    connectionString: databaseUrl,
    schema: OUTBOX_SCHEMA,
    applicationName: 'bench-kpi-relay',
    maxConnections: 2,
  });
  const relay = new OutboxRelay({ db: relayDb, bus: { redis, prefix }, logger, name: OUTBOX_SCHEMA });
  relay.start();
  const templates = await sql<{ entity_id: string; events: any[] }>`
    select entity_id, json_agg(json_build_object('type', type, 'entityVersion', entity_version,
      'payload', payload) order by entity_version, type) as events
    from intake.outbox where type in ('dossier.received', 'dossier.status_changed') and entity_version <= 2
    group by entity_id limit ${Math.max(1, Math.min(2000, rate * (seconds + 1)))}`.execute(db);
  let sequence = 0;
  /**
   * Commits `count` dossiers' events at `rate` a second; returns each event's commit time (when
   * its transaction's commit returned) and the rate reached.
   */
  async function send(count: number): Promise<{ sentAt: Map<string, number>; achieved: number }> {
    const sentAt = new Map<string, number>();
    const commits: Promise<void>[] = [];
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      const tpl = templates.rows[sequence % templates.rows.length];
      if (!tpl) break;
      const dossierId = randomUUID();
      const code = `BENCH-${sequence++}`;
      const wait = t0 + (i * 1000) / rate - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      commits.push(
        withTransaction(outbox, async (tx) => {
          const ids: string[] = [];
          for (const e of tpl.events)
            ids.push(
              await emitEvent(
                tx,
                e.type,
                { ...e.payload, dossierId, code },
                // Happening now, as a receipt's events do: the relay takes the oldest first.
                { source: 'intake', entityId: dossierId, entityVersion: e.entityVersion },
              ),
            );
          return ids;
        }).then((ids) => {
          const at = now();
          for (const id of ids) sentAt.set(id, at);
        }),
      );
    }
    await Promise.all(commits);
    const achieved = count / ((performance.now() - t0) / 1000);
    const deadline = performance.now() + 60_000;
    while ([...sentAt.keys()].some((id) => !done.has(id)) && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    return { sentAt, achieved };
  }
  await send(rate * warmup); // warm-up: seconds at the rate, not counted
  await new Promise((r) => setTimeout(r, pause * 1000)); // then idle, as before a burst
  // What autovacuum would have done meanwhile (this server runs without it): the relay's claim
  // reads the outbox by its index with statistics, not by a bitmap over every dead entry.
  await sql`vacuum analyze ${sql.id(OUTBOX_SCHEMA, 'outbox')}`.execute(db);
  const cpu = cpuOf({ consumer: consumer.pid });
  const { sentAt, achieved } = await send(rate * seconds);
  const cores = cpu();
  const sends = [...sentAt];
  const t0 = sends[0]?.[1] ?? 0;
  const lags = sends.flatMap(([id, at]) => (done.has(id) ? [done.get(id)! - at] : []));
  // p99 of the events sent in each second of the run: a tail all along, or one stall.
  const perSecond = Array.from({ length: seconds }, (_, s) =>
    ms(
      pct(
        sends.flatMap(([id, at]) =>
          Math.floor((at - t0) / 1000) === s && done.has(id) ? [done.get(id)! - at] : [],
        ),
        99,
      ),
    ),
  );
  consumer.send('close');
  await new Promise((r) => consumer.once('exit', r));
  await relay.stop();
  await relayDb.destroy();
  await outbox.destroy();
  await sql`drop schema ${sql.id(OUTBOX_SCHEMA)} cascade`.execute(db);
  // The relay fills every queue the events are routed to; only kpi's has a consumer here.
  for (const name of new Set(Object.values(eventRoutes).flat())) {
    const queue = new Queue(name, { connection: redis, prefix });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
  // Take the lag phase's dossiers out again, and their contributions with them.
  await sql`delete from kpi.dossier_events where payload->>'code' like 'BENCH-%'`.execute(db);
  await sql`delete from kpi.dossiers where code like 'BENCH-%'`.execute(db);
  await rebuildRollups(db);
  // The lag phase and the rebuild leave dead rows; a server without autovacuum (the development
  // one) would measure them in the next --reuse run.
  await sql`vacuum analyze kpi.dossiers, kpi.dossier_events, kpi.dossier_waits, kpi.dossier_due_dates,
    kpi.rollup_received_daily, kpi.rollup_ended_daily, kpi.rollup_received_late, kpi.rollup_ended_late, kpi.stock_deltas`.execute(
    db,
  );
  await app.close();
  redis.disconnect();
  await intake.destroy();
  await db.destroy();

  const ratio = (a: number, b: number) => Math.round((a / b) * 10) / 10;
  const f = figures;
  const eventLag = {
    dossiersPerSecond: rate,
    achieved: Math.round(achieved),
    events: sentAt.size,
    applied: lags.length,
    p50: ms(pct(lags, 50)),
    p99: ms(pct(lags, 99)),
    max: ms(Math.max(...lags)),
    p99BySecond: perSecond,
    cores,
    checkpointBeforeMs: checkpointMs,
  };
  const results = {
    date: new Date().toISOString(),
    dossiers,
    facts,
    events,
    quarter: QUARTER,
    scope: `${DEPARTMENT} and its units`,
    ...(f && {
      table: {
        api: f.apiTable.median,
        apiMax: f.apiTable.max,
        rollups: f.fnTable.median,
        direct: f.directTable.median,
        ratio: ratio(f.directTable.median, f.fnTable.median),
      },
      indicatorSet: {
        api: f.apiSet.median,
        apiMax: f.apiSet.max,
        rollups: f.fnSet.median,
        direct: f.directSet.median,
        ratio: ratio(f.directSet.median, f.fnSet.median),
      },
      sameFiguresEitherWay: f.same,
      drillDownFirstPage: f.drills,
      criterionDrillDownFirstPage: { median: f.criterion.median, max: f.criterion.max },
    }),
    eventLag,
  };
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log(`
KPI figures, ${dossiers} dossiers (${facts} fact rows, ${events} events), ${QUARTER}, ${results.scope}`);
  if (f)
    console.log(`                          API median (max)   rollups fn   direct fn   direct / rollups
  statistics table        ${f.apiTable.median} (${f.apiTable.max})   ${f.fnTable.median}   ${f.directTable.median}   x${results.table?.ratio}   < 500 ms ${verdict(f.apiTable.median < 500)}, >= 20x ${verdict((results.table?.ratio ?? 0) >= 20)}
  indicator set           ${f.apiSet.median} (${f.apiSet.max})   ${f.fnSet.median}   ${f.directSet.median}   x${results.indicatorSet?.ratio}   < 500 ms ${verdict(f.apiSet.median < 500)}, >= 20x ${verdict((results.indicatorSet?.ratio ?? 0) >= 20)}
  same figures both ways  ${f.same}
  drill-down first page   ${Object.entries(f.drills)
    .map(([c, d]) => `${c} (cell ${d.value}): ${d.median} (${d.max})`)
    .join('; ')}   < 100 ms ${verdict(Object.values(f.drills).every((d) => d.median < 100))}
  criterion drill-down    ${f.criterion.median} (${f.criterion.max})`);
  console.log(`  event lag               ${eventLag.applied}/${eventLag.events} events at ${rate} dossiers/s (achieved ${eventLag.achieved}/s): p50 ${eventLag.p50}, p99 ${eventLag.p99}, max ${eventLag.max}   p99 < 250 ms ${verdict(eventLag.p99 < 250)}
                          p99 of each second's events: ${perSecond.join(', ')}
                          cores used meanwhile: ${Object.entries(cores)
                            .map(([k, v]) => `${k} ${v}`)
                            .join(', ')} (of ${availableParallelism()})
                          checkpoint before the phase: ${checkpointMs} ms
`);
  console.log(JSON.stringify(results));
}

/**
 * The cores each process used from now until the returned function is called (CPU time over wall
 * time, from /proc): the given ones, this benchmark's own process, every Postgres process (the
 * backends, the WAL writer, the checkpointer) and Redis.
 */
function cpuOf(pids: Record<string, number | undefined>): () => Record<string, number> {
  const sum = (name: string) => pidsNamed(name).reduce((a, pid) => a + cpuMsOf(pid), 0);
  const read = (): Record<string, number> => ({
    ...Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuMsOf(pid)])),
    benchmark: ownCpuMs(),
    postgres: sum('postgres'),
    redis: sum('redis-server'),
  });
  const before = read();
  const t0 = performance.now();
  const cores = (x: number) => Math.round(x * 100) / 100;
  return () => {
    const now = read();
    const wall = performance.now() - t0;
    const used = Object.fromEntries(Object.entries(now).map(([k, v]) => [k, cores((v - before[k]!) / wall)]));
    return { ...used, total: cores(Object.values(used).reduce((a, b) => a + b, 0)) };
  };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
