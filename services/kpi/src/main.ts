import { tracing } from './tracing';
import { openResources, resourceClosers, runService } from '@tthc/service-kit';
import { buildApp } from './app';
import { readConfig } from './config';
import { migrations, SCHEMA } from './db/migrations';
import type { KpiDb } from './db/schema';
import { startWorkers } from './workers';

async function main(): Promise<void> {
  const config = readConfig();
  const resources = await openResources<KpiDb>({ name: 'kpi', config, schema: SCHEMA, migrations });
  const { logger, db, redis } = resources;
  const clock = () => new Date();
  const workers = startWorkers({
    ...resources,
    clock,
    nightly: {
      cron: config.KPI_RECONCILE_CRON === 'off' ? null : config.KPI_RECONCILE_CRON,
      days: config.KPI_RECONCILE_DAYS,
    },
  });
  const app = await buildApp({ config, logger, db, redis, queuePrefix: config.QUEUE_PREFIX, clock });
  await runService({
    app,
    host: config.HOST,
    port: config.PORT,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    closers: [
      { name: 'workers', close: () => workers.close() },
      ...resourceClosers(resources),
      { name: 'tracing', close: () => tracing.shutdown() },
    ],
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
