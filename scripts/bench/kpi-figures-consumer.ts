/**
 * The kpi service's event consumer in a process of its own, as deployed (the kpi service runs its
 * workers apart from intake, whose relay enqueues the events), for the event-lag phase of
 * kpi-figures.ts (not a benchmark of its own): the benchmark's producer and its listener of completions then do not share the
 * consumer's event loop. Started with fork() and `--import tsx`; env BENCH_DATABASE_URL,
 * REDIS_URL, BENCH_QUEUE_PREFIX. Sends 'ready' once the workers run; closes them on 'close'.
 */
import { createDb } from '@tthc/db';
import { createLogger } from '@tthc/service-kit';
import { Redis } from 'ioredis';
import { SCHEMA, type KpiDb } from '../../services/kpi/src/db/schema';
import { startWorkers } from '../../services/kpi/src/workers';

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
  const workers = startWorkers({
    db,
    bus: { redis, prefix: process.env['BENCH_QUEUE_PREFIX'] as string },
    logger,
    nightly: { cron: null, days: 1 },
  });
  process.on('message', (m) => {
    if (m !== 'close') return;
    void (async () => {
      await workers.close();
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
