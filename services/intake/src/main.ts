import { openResources, resourceClosers, runService } from '@tthc/service-kit';
import { buildApp } from './app';
import { CalendarProvider } from './commands/calendar-provider';
import { readConfig } from './config';
import { migrations, SCHEMA } from './db/migrations';
import type { IntakeDb } from './db/schema';
import { startWorkers } from './workers';

async function main(): Promise<void> {
  const config = readConfig();
  const resources = await openResources<IntakeDb>({ name: 'intake', config, schema: SCHEMA, migrations });
  const { logger, db, redis } = resources;
  const workers = startWorkers(resources);
  const app = await buildApp({
    config,
    logger,
    db,
    redis,
    queuePrefix: config.QUEUE_PREFIX,
    clock: () => new Date(),
    calendars: new CalendarProvider(),
    slips: {
      provinceName: config.PROVINCE_NAME,
      deskName: config.DESK_NAME,
      portalName: config.PORTAL_NAME,
      trackingUrlBase: config.TRACKING_URL_BASE,
    },
    onEventsWritten: () => workers.relay.nudge(),
  });
  await runService({
    app,
    host: config.HOST,
    port: config.PORT,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    closers: [{ name: 'workers', close: () => workers.close() }, ...resourceClosers(resources)],
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
