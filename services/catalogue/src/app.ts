import { outboxBacklog } from '@tthc/bus';
import { ping as pingDb } from '@tthc/db';
import { createService, type ServiceApp } from '@tthc/service-kit';
import type { AppDeps } from './deps';
import { agencyRoutes } from './routes/agency.routes';
import { fieldRoutes } from './routes/field.routes';
import { exportRoutes } from './routes/export.routes';
import { importRoutes } from './routes/import.routes';
import { lifecycleRoutes } from './routes/lifecycle.routes';
import { procedureRoutes } from './routes/procedure.routes';
import { statisticsRoutes } from './routes/statistics.routes';

export async function buildApp(deps: AppDeps): Promise<ServiceApp> {
  const app = await createService({
    name: 'catalogue',
    description: 'Danh mục thủ tục hành chính: lĩnh vực, cơ quan, thủ tục và các phiên bản',
    logger: deps.logger,
    internalAuthSecret: deps.config.INTERNAL_AUTH_SECRET,
    readiness: { postgres: () => pingDb(deps.db), redis: () => deps.redis.ping() },
    outboxBacklog: () => outboxBacklog(deps.db),
    tags: [
      { name: 'fields', description: 'Lĩnh vực' },
      { name: 'agencies', description: 'Cơ quan, đơn vị' },
      { name: 'procedures', description: 'Thủ tục hành chính' },
      { name: 'import-export', description: 'Nhập, xuất danh mục' },
    ],
  });
  fieldRoutes(app, deps);
  agencyRoutes(app, deps);
  statisticsRoutes(app, deps);
  importRoutes(app, deps);
  exportRoutes(app, deps);
  procedureRoutes(app, deps);
  lifecycleRoutes(app, deps);
  return app;
}

export type { AppDeps };
