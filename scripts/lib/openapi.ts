import { createDb } from '@tthc/db';
import { createLogger, type ServiceApp } from '@tthc/service-kit';
import { Redis } from 'ioredis';
import * as catalogue from '../../services/catalogue/src/app';
import * as gateway from '../../services/gateway/src/app';
import { configSchema as gatewayConfig } from '../../services/gateway/src/config';
import { mergeOpenApi, MERGED_INFO, type OpenApiDoc } from '../../services/gateway/src/openapi/merge';
import * as intake from '../../services/intake/src/app';
import { CalendarProvider } from '../../services/intake/src/calendar/calendar.cache';
import { createNotificationMetrics, NotificationConfig } from '../../services/intake/src/notifications';
import * as kpi from '../../services/kpi/src/app';
import * as reports from '../../services/reports/src/app';

/**
 * Builds each service's app with workers off and nothing connected (the pool and Redis are
 * lazy), and returns the specs as the files committed under openapi/.
 */
export async function generateSpecs(): Promise<Record<string, string>> {
  const logger = createLogger('openapi', 'silent');
  const secret = 'x'.repeat(32);
  const deps = (schema: string) => ({
    config: { INTERNAL_AUTH_SECRET: secret },
    logger,
    db: createDb<any>({ connectionString: 'postgres://unused@127.0.0.1:1/unused', schema }),
    redis: new Redis({ lazyConnect: true }),
    clock: () => new Date(),
    workingDaysBetween: () => 0,
    queuePrefix: 'tthc',
    calendars: new CalendarProvider(),
    slips: {
      provinceName: 'Quảng Nam',
      deskName: 'Trung tâm Phục vụ hành chính công',
      portalName: 'Cổng Dịch vụ công',
    },
    onEventsWritten: () => undefined,
  });
  const builders: Record<string, () => Promise<ServiceApp>> = {
    catalogue: () => catalogue.buildApp(deps('catalogue')),
    intake: () => {
      const d = deps('intake');
      return intake.buildApp({
        ...d,
        notifications: {
          ...d,
          bus: { redis: d.redis, prefix: 'tthc' },
          config: NotificationConfig.parse({}),
          metrics: createNotificationMetrics(),
        },
      });
    },
    kpi: () => kpi.buildApp(deps('kpi')),
    reports: () => reports.buildApp(deps('reports')),
  };
  const files: Record<string, string> = {};
  const docs: { service: string; doc: OpenApiDoc }[] = [];
  for (const [service, build] of Object.entries(builders)) {
    const app = await build();
    await app.ready();
    const doc = app.swagger() as unknown as OpenApiDoc;
    docs.push({ service, doc });
    files[`${service}.json`] = JSON.stringify(doc, null, 2) + '\n';
    await app.close();
  }
  const gw = await gateway.buildApp({
    config: gatewayConfig.parse({
      INTERNAL_AUTH_SECRET: secret,
      DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
      REDIS_URL: 'redis://127.0.0.1:1',
    }),
    logger,
    db: createDb<any>({ connectionString: 'postgres://unused@127.0.0.1:1/unused', schema: 'gateway' }),
    redis: new Redis({ lazyConnect: true }),
    clock: () => new Date(),
  });
  await gw.ready();
  const own = gateway.gatewayOwnSpec(gw);
  files['gateway.json'] = JSON.stringify(own, null, 2) + '\n';
  docs.push({ service: 'gateway', doc: own });
  docs.sort((a, b) => a.service.localeCompare(b.service));
  await gw.close();
  files['openapi.json'] = JSON.stringify(mergeOpenApi(docs, MERGED_INFO), null, 2) + '\n';
  return files;
}
