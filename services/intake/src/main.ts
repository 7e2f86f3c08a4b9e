import { tracing } from './tracing';
import { openResources, resourceClosers, runService } from '@tthc/service-kit';
import { JobRequester } from '@tthc/bus';
import { AgencyDirectory } from './agencies';
import { buildApp } from './app';
import { CalendarProvider } from './calendar';
import { ProcedureCache } from './commands/procedure-cache';
import { NationalClient, nationalSyncOn } from './national-sync';
import { createNotificationMetrics, type NotificationDeps } from './notifications';
import { readConfig } from './config';
import { migrations, SCHEMA } from './db/migrations';
import type { IntakeDb } from './db/schema';
import { startWorkers } from './workers';

/** How long a receipt waits for the catalogue's answer about a procedure its copy lacks. */
const CATALOGUE_ANSWER_MS = 3000;

async function main(): Promise<void> {
  const config = readConfig();
  // Every intake query is short (a receipt, a row, a page of a list by its index): no JIT.
  const resources = await openResources<IntakeDb>({
    name: 'intake',
    config,
    schema: SCHEMA,
    migrations,
    db: { jit: false },
  });
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
  // Off unless the province configured the connection: then pushes and the reconciliation run.
  const nationalSync = {
    config,
    clock: () => new Date(),
    client: nationalSyncOn(config) ? new NationalClient(config) : null,
  };
  if (!nationalSync.client) logger.info('national portal sync is off (NATIONAL_SYNC_URL unset)');
  const workers = startWorkers({ ...resources, notifications, nationalSync });
  // A procedure published a moment ago: ask the catalogue rather than refuse the receipt.
  const catalogueQuestions = new JobRequester(resources.bus);
  const catalogue = {
    snapshot: (code: string) =>
      catalogueQuestions.ask('catalogue.procedure-snapshot', { code }, CATALOGUE_ANSWER_MS),
  };
  // Agencies by name on slips: the catalogue's directory, asked for now and then.
  const agencies = new AgencyDirectory({
    fetch: () => catalogueQuestions.ask('catalogue.agency-directory', {}, CATALOGUE_ANSWER_MS),
    onError: (err) => logger.warn({ err }, 'agency directory unavailable; slips print agency codes'),
  });
  const app = await buildApp({
    config,
    logger,
    db,
    redis,
    queuePrefix: config.QUEUE_PREFIX,
    clock: () => new Date(),
    calendars,
    catalogue,
    agencies,
    procedures: new ProcedureCache(),
    notifications,
    nationalSync,
    slips: {
      provinceName: config.PROVINCE_NAME,
      deskName: config.DESK_NAME,
      portalName: config.PORTAL_NAME,
      trackingUrlBase: config.TRACKING_URL_BASE,
    },
  });
  await runService({
    app,
    host: config.HOST,
    port: config.PORT,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    closers: [
      { name: 'workers', close: () => workers.close() },
      { name: 'catalogue questions', close: () => catalogueQuestions.close() },
      ...resourceClosers(resources),
      { name: 'tracing', close: () => tracing.shutdown() },
    ],
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
