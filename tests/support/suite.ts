import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { JobRequester } from '@tthc/bus';
import { createLogger, type ServiceApp } from '@tthc/service-kit';
import { openTestResources, TEST_INTERNAL_SECRET, type TestResources } from '@tthc/testkit';
import * as catalogue from '../../services/catalogue/src/app';
import { ReadCache } from '../../services/catalogue/src/cache/read-cache';
import { seedDemoCatalogue } from '../../services/catalogue/src/seed/demo';
import { workingDaysBetweenFactory } from '../../services/catalogue/src/working-days';
import { startWorkers as catalogueWorkers } from '../../services/catalogue/src/workers';
import { migrateSchema } from '@tthc/db';
import * as gateway from '../../services/gateway/src/app';
import { generateApiKey } from '../../services/gateway/src/auth/api-keys';
import { bootstrapAdminKey } from '../../services/gateway/src/auth/bootstrap';
import {
  migrations as gatewayMigrations,
  SCHEMA as GATEWAY_SCHEMA,
} from '../../services/gateway/src/db/migrations';
import { configSchema as gatewayConfig } from '../../services/gateway/src/config';
import * as intake from '../../services/intake/src/app';
import { AgencyDirectory } from '../../services/intake/src/agencies';
import { CalendarProvider } from '../../services/intake/src/calendar/calendar.cache';
import { createNotificationMetrics, NotificationConfig } from '../../services/intake/src/notifications';
import { NationalClient, NationalSyncConfig, nationalSyncOn } from '../../services/intake/src/national-sync';
import { startWorkers as intakeWorkers } from '../../services/intake/src/workers';
import * as kpi from '../../services/kpi/src/app';
import { startWorkers as kpiWorkers } from '../../services/kpi/src/workers';
import * as reports from '../../services/reports/src/app';
import { startWorkers as reportsWorkers } from '../../services/reports/src/workers';

/** Officer tokens in the tests are HS256 with this secret, issuer https://sso.test, audience tthc. */
export const TEST_JWT_SECRET = 'test-only-jwt-secret-0123456789abcdef0123456789';
/** The shared token of delivery callbacks in the suite. */
export const TEST_CALLBACK_TOKEN = 'test-only-callback-token-0123456789abcdef';
/** Where the slips and messages of the suite link a dossier's tracking page. */
export const TRACKING_URL_BASE = 'https://dichvucong.quangnam.gov.vn/tra-cuu';

export interface Suite {
  /** Base URL of the gateway, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Base URL of each replica's gateway (`url` is the first). */
  urls: string[];
  /** Base URL of each service behind the first gateway (their operational routes: /metrics, /ready). */
  services: Record<'catalogue' | 'intake' | 'kpi' | 'reports', string>;
  /** Headers that authenticate a request as an administrator (every route allowed). */
  adminHeaders: Record<string, string>;
  adminKey: string;
  /** Starts one more gateway replica on the same database and Redis (settings overridable); returns its URL. */
  anotherGateway: (gatewayEnv?: Record<string, string>) => Promise<string>;
  resources: TestResources<unknown>;
  close: () => Promise<void>;
}

async function listen(app: ServiceApp): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

/**
 * The five processes of the suite in one test process, each on its own port and schema of one
 * real database, sharing one Redis prefix: the same wiring main.ts does, with a test clock.
 */
export async function startSuite(
  clock: () => Date = () => new Date(),
  options: {
    demoCatalogue?: boolean;
    gatewayEnv?: Record<string, string>;
    logSink?: (line: string) => void;
    /** A Redis of the test's own instead of the run's (fault tests stop it). */
    redisUrl?: string;
    /**
     * Processes of each service (default 1): every replica runs its app and its workers (relays,
     * consumers, dispatchers) on the same database and Redis, as replicas of a deployment do,
     * and has a gateway of its own in front (`urls`).
     */
    replicas?: number;
    /** The intake's national sync settings (NATIONAL_SYNC_*); unset: the sync is off. */
    nationalSync?: Record<string, string>;
    /** Runs on the migrated database before any process starts (a restore of a backup). */
    beforeStart?: (resources: TestResources<unknown>) => Promise<void>;
  } = {},
): Promise<Suite> {
  const resources = await openTestResources<unknown>(
    'catalogue',
    options.redisUrl ? { redisUrl: options.redisUrl } : {},
  );
  const { redis, bus } = resources;
  // The services' real logger (with its redaction of personal data), to a sink the test reads.
  const logger = options.logSink
    ? createLogger(
        'suite',
        'info',
        new Writable({ write: (chunk, _enc, cb) => (options.logSink!(String(chunk)), cb()) }),
      )
    : resources.logger;
  const config = { INTERNAL_AUTH_SECRET: TEST_INTERNAL_SECRET };

  const catDb = resources.dbFor<any>('catalogue');
  const intDb = resources.dbFor<any>('intake');
  const kpiDb = resources.dbFor<any>('kpi');
  const repDb = resources.dbFor<any>('reports');

  if (options.demoCatalogue)
    await seedDemoCatalogue({ db: catDb, actor: 'demo-seed', requestId: null, clock }, logger);
  const apps: ServiceApp[] = [];
  const start = async (app: ServiceApp) => {
    apps.push(app);
    return listen(app);
  };
  const closers: (() => Promise<void>)[] = [];
  const gwDb = resources.dbFor<any>(GATEWAY_SCHEMA);
  await migrateSchema(gwDb, GATEWAY_SCHEMA, gatewayMigrations);
  await options.beforeStart?.(resources);
  const adminKey = generateApiKey().key;
  await bootstrapAdminKey(gwDb, adminKey);

  /** One replica of every service, its workers, and a gateway in front of it; returns the gateway's deps. */
  const startReplica = async () => {
    const cw = catalogueWorkers({ db: catDb, bus, logger });
    const notifications = {
      db: intDb,
      redis,
      bus,
      logger,
      clock,
      calendars: new CalendarProvider(),
      config: NotificationConfig.parse({
        NOTIFY_LOG_FILE: join(tmpdir(), `tthc-notifications-${process.pid}-${Date.now()}.jsonl`),
        NOTIFY_SCAN_EVERY_MS: '0',
        NOTIFY_CALLBACK_TOKEN: TEST_CALLBACK_TOKEN,
      }),
      metrics: createNotificationMetrics(),
    };
    const nationalConfig = NationalSyncConfig.parse(options.nationalSync ?? {});
    const nationalSync = {
      config: nationalConfig,
      clock,
      client: nationalSyncOn(nationalConfig) ? new NationalClient(nationalConfig) : null,
    };
    const iw = intakeWorkers({ db: intDb, bus, logger, notifications, nationalSync });
    const catalogueQuestions = new JobRequester(bus);
    const kw = kpiWorkers({ db: kpiDb, bus, logger, clock });
    const rw = reportsWorkers({ db: repDb, bus, logger, clock });

    const catalogueUrl = await start(
      await catalogue.buildApp({
        config,
        logger,
        db: catDb,
        redis,
        clock,
        workingDaysBetween: workingDaysBetweenFactory(),
        onEventsWritten: () => cw.relay.nudge(),
        readCache: new ReadCache({ logger, notices: { redis, channel: `${bus.prefix}:catalogue:changed` } }),
      }),
    );
    const intakeUrl = await start(
      await intake.buildApp({
        config,
        logger,
        db: intDb,
        redis,
        queuePrefix: bus.prefix,
        clock,
        calendars: notifications.calendars,
        catalogue: {
          snapshot: (code: string) => catalogueQuestions.ask('catalogue.procedure-snapshot', { code }, 3000),
        },
        slips: {
          provinceName: 'Quảng Nam',
          deskName: 'Trung tâm Phục vụ hành chính công',
          portalName: 'Cổng Dịch vụ công',
          trackingUrlBase: TRACKING_URL_BASE,
        },
        agencies: new AgencyDirectory({
          fetch: () => catalogueQuestions.ask('catalogue.agency-directory', {}, 3000),
        }),
        notifications,
        nationalSync,
      }),
    );
    const kpiUrl = await start(
      await kpi.buildApp({ config, logger, db: kpiDb, redis, queuePrefix: bus.prefix, clock }),
    );
    const reportsUrl = await start(
      await reports.buildApp({
        config,
        logger,
        db: repDb,
        redis,
        clock,
        onEventsWritten: () => rw.relay.nudge(),
      }),
    );
    const gatewayEnv = {
      INTERNAL_AUTH_SECRET: TEST_INTERNAL_SECRET,
      DATABASE_URL: resources.databaseUrl,
      REDIS_URL: 'redis://unused',
      QUEUE_PREFIX: bus.prefix,
      CATALOGUE_URL: catalogueUrl,
      INTAKE_URL: intakeUrl,
      KPI_URL: kpiUrl,
      REPORTS_URL: reportsUrl,
      JWT_HS256_SECRET: TEST_JWT_SECRET,
      JWT_ISSUER: 'https://sso.test',
      JWT_AUDIENCE: 'tthc',
      // The five services share this process's event loop here: a slow render in one of them is
      // not the gateway's overload (tests of the load shedding turn it on).
      OVERLOAD_EVENT_LOOP_DELAY_MS: '0',
      ...options.gatewayEnv,
    };
    const gatewayDeps = {
      config: gatewayConfig.parse(gatewayEnv),
      logger,
      db: gwDb,
      redis,
      clock,
    };
    closers.push(() =>
      Promise.all([cw.close(), iw.close(), kw.close(), rw.close(), catalogueQuestions.close()]).then(
        () => undefined,
      ),
    );
    const url = await start(await gateway.buildApp(gatewayDeps));
    const services = { catalogue: catalogueUrl, intake: intakeUrl, kpi: kpiUrl, reports: reportsUrl };
    return { url, gatewayDeps, gatewayEnv, services };
  };
  const closeAll = async () => {
    for (const app of apps.reverse()) await app.close();
    await Promise.all(closers.map((close) => close()));
    await resources.close();
  };
  const replicas = [];
  try {
    for (let i = 0; i < (options.replicas ?? 1); i++) replicas.push(await startReplica());
  } catch (err) {
    // A suite that did not start leaves nothing running behind the failed test file.
    await closeAll().catch(() => undefined);
    throw err;
  }
  const { url, gatewayDeps, gatewayEnv, services } = replicas[0]!;

  return {
    url,
    urls: replicas.map((r) => r.url),
    services,
    adminHeaders: { 'x-api-key': adminKey },
    adminKey,
    anotherGateway: async (env = {}) =>
      start(
        await gateway.buildApp({ ...gatewayDeps, config: gatewayConfig.parse({ ...gatewayEnv, ...env }) }),
      ),
    resources,
    close: closeAll,
  };
}
