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
  const clock = () => new Date();
  const readCache = new ReadCache({
    logger,
    notices: { redis, channel: `${config.QUEUE_PREFIX}:catalogue:changed` },
  });
  const workers = startWorkers({
    ...resources,
    clock,
    onCatalogueChanged: () => readCache.changed(),
    nationalPull: {
      source: config.NATIONAL_CATALOGUE_URL
        ? {
            url: config.NATIONAL_CATALOGUE_URL,
            token: config.NATIONAL_CATALOGUE_TOKEN ?? null,
            timeoutMs: config.NATIONAL_CATALOGUE_TIMEOUT_MS,
          }
        : null,
      cron: config.NATIONAL_CATALOGUE_PULL_CRON === 'off' ? null : config.NATIONAL_CATALOGUE_PULL_CRON,
      attempts: config.NATIONAL_CATALOGUE_ATTEMPTS,
      backoffMs: config.NATIONAL_CATALOGUE_BACKOFF_MS,
    },
  });
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
    nationalPull: workers.nationalPull,
    readCache,
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
