import { tracing } from './tracing';
import { openResources, resourceClosers, runService } from '@tthc/service-kit';
import { buildApp } from './app';
import { ReadCache } from './cache/read-cache';
import { readConfig } from './config';
import { migrations, SCHEMA } from './db/migrations';
import type { CatalogueDb } from './db/schema';
import { seedDemoCatalogue } from './seed/demo';
import { workingDaysBetweenFactory } from './working-days';
import { startWorkers } from './workers';

async function main(): Promise<void> {
  const config = readConfig();
  const resources = await openResources<CatalogueDb>({
    name: 'catalogue',
    config,
    schema: SCHEMA,
    migrations,
  });
  const { logger, db, redis } = resources;
  const workers = startWorkers(resources);
  const clock = () => new Date();
  if (config.SEED_DEMO_DATA)
    await seedDemoCatalogue({ db, actor: 'demo-seed', requestId: null, clock }, logger);
  const app = await buildApp({
    config,
    logger,
    db,
    redis,
    clock,
    workingDaysBetween: workingDaysBetweenFactory(),
    onEventsWritten: () => workers.relay.nudge(),
    readCache: new ReadCache({
      logger,
      notices: { redis, channel: `${config.QUEUE_PREFIX}:catalogue:changed` },
    }),
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
