import { outboxBacklog } from '@tthc/bus';
import { ping as pingDb } from '@tthc/db';
import { createService, type ServiceApp } from '@tthc/service-kit';
import { ReadCache } from './cache/read-cache';
import type { AppDeps } from './deps';
import { agencyRoutes } from './routes/agency.routes';
import { fieldRoutes } from './routes/field.routes';
import { exportRoutes } from './routes/export.routes';
import { importRoutes } from './routes/import.routes';
import { lifecycleRoutes } from './routes/lifecycle.routes';
import { nationalRoutes } from './routes/national.routes';
import { procedureRoutes } from './routes/procedure.routes';
import { statisticsRoutes } from './routes/statistics.routes';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function buildApp(deps: AppDeps): Promise<ServiceApp> {
  const app = await createService({
    name: 'catalogue',
    description: 'Danh mục thủ tục hành chính: lĩnh vực, cơ quan, thủ tục và các phiên bản',
    logger: deps.logger,
    internalAuthSecret: deps.config.INTERNAL_AUTH_SECRET,
    idempotencyDb: deps.db,
    readiness: { postgres: () => pingDb(deps.db), redis: () => deps.redis.ping() },
    outboxBacklog: () => outboxBacklog(deps.db),
    tags: [
      { name: 'fields', description: 'Lĩnh vực' },
      { name: 'agencies', description: 'Cơ quan, đơn vị' },
      { name: 'procedures', description: 'Thủ tục hành chính' },
      { name: 'import-export', description: 'Nhập, xuất danh mục' },
      { name: 'national-catalogue', description: 'Đồng bộ từ Cơ sở dữ liệu quốc gia về thủ tục hành chính' },
    ],
  });
  const readCache = deps.readCache ?? new ReadCache({ logger: deps.logger });
  readCache.listen();
  app.addHook('onClose', async () => readCache.close());
  // Any write empties the published reads before its answer leaves, so the writer (and anyone
  // after it) reads the change at once; procedure.* events are only written by these writes.
  app.addHook('onSend', async (request, _reply, payload) => {
    if (!SAFE_METHODS.has(request.method)) readCache.changed();
    return payload;
  });
  fieldRoutes(app, deps);
  agencyRoutes(app, deps);
  statisticsRoutes(app, deps);
  importRoutes(app, deps);
  exportRoutes(app, deps);
  procedureRoutes(app, { ...deps, readCache });
  lifecycleRoutes(app, deps);
  nationalRoutes(app, deps);
  return app;
}

export type { AppDeps };
