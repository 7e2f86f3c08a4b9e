import { openResources, resourceClosers, runService } from '@tthc/service-kit';
import { buildApp } from './app';
import { CalendarProvider } from './commands/calendar-provider';
import { createNotificationMetrics, type NotificationDeps } from './notifications';
import { readConfig } from './config';
import { migrations, SCHEMA } from './db/migrations';
import type { IntakeDb } from './db/schema';
import { startWorkers } from './workers';

async function main(): Promise<void> {
  const config = readConfig();
  const resources = await openResources<IntakeDb>({ name: 'intake', config, schema: SCHEMA, migrations });
  const { logger, db, redis } = resources;
  const calendars = new CalendarProvider();
  const notifications: NotificationDeps = {
    db,
    redis,
    bus: resources.bus,
    logger,
    clock: () => new Date(),
    calendars,
    config,
    metrics: createNotificationMetrics(),
  };
  const workers = startWorkers({ ...resources, notifications });
  const app = await buildApp({
    config,
    logger,
    db,
    redis,
    queuePrefix: config.QUEUE_PREFIX,
    clock: () => new Date(),
    calendars,
    notifications,
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
