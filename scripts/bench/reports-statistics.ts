/**
 * Benchmark of report generation (issue 15, Speed): over a province-year generated in bulk
 * (scripts/generate/province-year.ts), the quarterly dossier statistics report (Biểu 06) in XLSX,
 * from `POST /v1/reports` to the file stored: target under 3 s at 1,000,000 dossiers. The whole
 * flow runs as deployed, in one process: the reports API and its workers (BullMQ flow, render),
 * kpi's job worker counting the table from its rollups, the catalogue's job worker naming the
 * fields. With --appendix, the same report with its detail appendix (every dossier the table
 * counts, paged from kpi and streamed into the XLSX), and the process's peak RSS.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/kpi_bench REDIS_URL=redis://127.0.0.1:6379 \
 *     npx tsx scripts/bench/reports-statistics.ts --dossiers 20000 [--runs 5] [--reuse] [--appendix]
 *
 * The database named is filled (its dossier tables emptied first) unless --reuse finds exactly
 * that many dossiers already generated. docs/performance.md ("Reports") has the results.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Identity } from '@tthc/contracts';
import { createDb, migrateSchema } from '@tthc/db';
import { createLogger, signIdentity } from '@tthc/service-kit';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { SCHEMA as CATALOGUE, type CatalogueDb } from '../../services/catalogue/src/db/schema';
import { startCatalogueJobsWorker } from '../../services/catalogue/src/workers/catalogue-jobs.worker';
import { SCHEMA as KPI, type KpiDb } from '../../services/kpi/src/db/schema';
import { startWorkers as kpiWorkers } from '../../services/kpi/src/workers';
import { buildApp } from '../../services/reports/src/app';
import * as reportsSchema from '../../services/reports/src/db/migrations';
import type { ReportsDb } from '../../services/reports/src/db/schema';
import { startWorkers as reportsWorkers } from '../../services/reports/src/workers';
import { generateProvinceYear } from '../generate/province-year';

const DEPARTMENT = '000.00.17.H55';
const QUARTER = '2026-Q2';

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const ms = (x: number) => Math.round(x);

async function main(): Promise<void> {
  const databaseUrl = process.env['BENCH_DATABASE_URL'];
  const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const dossiers = Number(arg('dossiers'));
  if (!databaseUrl || !Number.isInteger(dossiers) || dossiers < 1) {
    console.error(
      'usage: BENCH_DATABASE_URL=postgres://... [REDIS_URL=...] tsx scripts/bench/reports-statistics.ts --dossiers N [--runs K] [--reuse] [--appendix]',
    );
    process.exit(2);
  }
  const runs = Number(arg('runs', '5'));
  const appendix = process.argv.includes('--appendix');
  const options = (schema: string) => ({
    connectionString: databaseUrl,
    schema,
    applicationName: 'bench-reports',
  });
  const intake = createDb<any>(options('intake'));
  const held = await intake
    .selectFrom('dossiers')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirst()
    .catch(() => undefined);
  await intake.destroy();
  if (!(process.argv.includes('--reuse') && held?.n === dossiers)) {
    console.log(`generating a province-year of ${dossiers} dossiers...`);
    const g = await generateProvinceYear({
      databaseUrl,
      dossiers,
      reset: true,
      log: (l) => console.log(`  ${l}`),
    });
    console.log(`  generated in ${g.seconds.toFixed(1)} s`);
  }
  const kpiDb = createDb<KpiDb>(options(KPI));
  const catalogueDb = createDb<CatalogueDb>(options(CATALOGUE));
  const reportsDb = createDb<ReportsDb>(options(reportsSchema.SCHEMA));
  await migrateSchema(reportsDb, reportsSchema.SCHEMA, reportsSchema.migrations);

  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const bus = { redis, prefix: `bench-reports-${randomUUID().slice(0, 8)}` };
  const logger = createLogger('bench', 'warn');
  const secret = randomUUID() + randomUUID();
  const clock = () => new Date('2027-01-05T02:00:00Z');
  const kpi = kpiWorkers({ db: kpiDb, bus, logger, nightly: { cron: null, days: 1 } });
  const catalogue = startCatalogueJobsWorker({ db: catalogueDb, bus, logger });
  const reports = reportsWorkers({ db: reportsDb, bus, logger, clock });
  const app = await buildApp({
    config: { INTERNAL_AUTH_SECRET: secret },
    logger,
    db: reportsDb,
    redis,
    clock,
    onEventsWritten: () => reports.relay.nudge(),
  });
  const reporter = {
    sub: 'bench-reporter',
    kind: 'officer',
    roles: ['reporter'],
    agencyCode: null,
    agencyScope: null,
  } as Identity;
  const call = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await app.inject({
      method,
      url,
      headers: { 'x-tthc-identity': await signIdentity(secret, reporter) },
      ...(payload ? { payload } : {}),
    });
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    return res.json() as any;
  };

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const oneReport = async () => {
    const t0 = performance.now();
    const asked = await call('POST', '/v1/reports', {
      kind: 'dossier-statistics',
      params: { agencyCode: DEPARTMENT, period: QUARTER, ...(appendix ? { appendix: true } : {}) },
      formats: ['xlsx'],
    });
    for (;;) {
      const r = await call('GET', `/v1/reports/${asked.id}`);
      if (r.status === 'done') return { ms: performance.now() - t0, report: r };
      if (r.status === 'failed') throw new Error(`report failed: ${r.reason}`);
      await new Promise((res) => setTimeout(res, 10));
    }
  };
  console.log(`measuring ${runs} reports after a warm-up${appendix ? ' (with the detail appendix)' : ''}...`);
  const first = await oneReport();
  const times: number[] = [];
  let last = first;
  for (let i = 0; i < runs; i++) {
    last = await oneReport();
    times.push(last.ms);
  }
  clearInterval(sampler);
  const sorted = [...times].sort((a, b) => a - b);
  const files = last.report.files.map((f: { format: string; size: number }) => `${f.format} ${f.size} B`);
  const received = (await call('GET', `/v1/reports/${last.report.id}`)).files.length;
  console.log(
    JSON.stringify(
      {
        dossiers,
        period: QUARTER,
        agency: DEPARTMENT,
        appendix,
        firstMs: ms(first.ms),
        medianMs: ms(sorted[Math.floor(sorted.length / 2)] ?? NaN),
        maxMs: ms(sorted[sorted.length - 1] ?? NaN),
        files,
        filesStored: received,
        peakRssMb: Math.round(peakRss / 1024 / 1024),
      },
      null,
      2,
    ),
  );
  await app.close();
  await reports.close();
  await catalogue.close();
  await kpi.close();
  redis.disconnect();
  await Promise.all([kpiDb.destroy(), catalogueDb.destroy(), reportsDb.destroy()]);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
