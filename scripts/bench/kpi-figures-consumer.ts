/**
 * The kpi service's event consumer in a process of its own, as deployed (the kpi service runs its
 * workers apart from intake, whose relay enqueues the events), for the event-lag phase of
 * kpi-figures.ts (not a benchmark of its own): the benchmark's producer does not share the
 * consumer's event loop. Started with fork() and `--import tsx`; env BENCH_DATABASE_URL,
 * REDIS_URL, BENCH_QUEUE_PREFIX, and BENCH_KPI_EVENTS (the event worker's options as JSON, to try
 * other batching; the service's defaults otherwise).
 *
 * Sends 'ready' once the worker runs; then, every 50 ms, the events of the jobs completed since the
 * last message with the moment each job completed (epoch ms, `performance.timeOrigin +
 * performance.now()`): a job of events is completed once their facts are committed and BullMQ has
 * recorded it. The benchmark reads the
 * lag from these rather than from a QueueEvents listener of its own, which would read every job's
 * four or five stream entries on the same two cores and add its own delay to each. Closes the
 * worker on 'close'.
 */
import { eventsOfJob } from '@tthc/bus';
import { createDb } from '@tthc/db';
import { createLogger } from '@tthc/service-kit';
import { Redis } from 'ioredis';
import { performance } from 'node:perf_hooks';
import { SCHEMA, type KpiDb } from '../../services/kpi/src/db/schema';
import { startKpiEventsWorker } from '../../services/kpi/src/workers/kpi-events.worker';
import { startStockCompaction } from '../../services/kpi/src/workers/stock-compaction';

async function main(): Promise<void> {
  const db = createDb<KpiDb>({
    connectionString: process.env['BENCH_DATABASE_URL'] as string,
    schema: SCHEMA,
    applicationName: 'bench-kpi-consumer',
  });
  const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', {
    maxRetriesPerRequest: null,
  });
  const logger = createLogger('bench-kpi-consumer', 'warn');
  const worker = startKpiEventsWorker(
    { db, bus: { redis, prefix: process.env['BENCH_QUEUE_PREFIX'] as string }, logger },
    JSON.parse(process.env['BENCH_KPI_EVENTS'] ?? '{}') as Record<string, number>,
  );
  // As the service runs it: the stock changes the consumer's saves append are folded meanwhile.
  const compaction = startStockCompaction({ db, logger });
  let completed: [string, number][] = [];
  worker.on('completed', (job) => {
    const at = performance.timeOrigin + performance.now();
    for (const e of eventsOfJob(job.data)) completed.push([(e as { id: string }).id, at]);
  });
  const report = setInterval(() => {
    if (completed.length === 0) return;
    process.send?.({ completed });
    completed = [];
  }, 50);
  await worker.waitUntilReady();
  process.on('message', (m) => {
    if (m !== 'close') return;
    void (async () => {
      clearInterval(report);
      await Promise.all([worker.close(), compaction.close()]);
      redis.disconnect();
      await db.destroy();
      process.exit(0);
    })();
  });
  process.send?.('ready');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
