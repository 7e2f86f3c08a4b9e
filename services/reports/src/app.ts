import { outboxBacklog } from '@tthc/bus';
import { ping as pingDb } from '@tthc/db';
import { createService, type ServiceApp } from '@tthc/service-kit';
import type { AppDeps } from './deps';
import { reportRoutes } from './routes/report.routes';
import { templateRoutes } from './routes/template.routes';
import { scheduleRoutes } from './routes/schedule.routes';

export async function buildApp(deps: AppDeps): Promise<ServiceApp> {
  const app = await createService({
    name: 'reports',
    description: 'Báo cáo định kỳ: biểu mẫu, kết xuất, lưu trữ và lịch',
    logger: deps.logger,
    internalAuthSecret: deps.config.INTERNAL_AUTH_SECRET,
    idempotencyDb: deps.db,
    readiness: { postgres: () => pingDb(deps.db), redis: () => deps.redis.ping() },
    outboxBacklog: () => outboxBacklog(deps.db),
    tags: [{ name: 'reports', description: 'Báo cáo' }],
  });
  scheduleRoutes(app, deps);
  reportRoutes(app, deps);
  templateRoutes(app, deps);
  return app;
}

export type { AppDeps };
