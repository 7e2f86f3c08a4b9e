import { tracing } from './tracing';
import { openResources, resourceClosers, runService } from '@tthc/service-kit';
import { buildApp } from './app';
import { readConfig } from './config';
import { migrations, SCHEMA } from './db/migrations';
import type { ReportsDb } from './db/schema';
import { startWorkers } from './workers';

async function main(): Promise<void> {
  const config = readConfig();
  const resources = await openResources<ReportsDb>({ name: 'reports', config, schema: SCHEMA, migrations });
  const { logger, db, redis } = resources;
  const workers = startWorkers({
    ...resources,
    clock: () => new Date(),
    scheduleCron: config.REPORTS_SCHEDULE_CRON === 'off' ? null : config.REPORTS_SCHEDULE_CRON,
  });
  const app = await buildApp({
    config,
    logger,
    db,
    redis,
    clock: () => new Date(),
    onEventsWritten: () => workers.relay.nudge(),
  });
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
