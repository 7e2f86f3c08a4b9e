import { ping as pingDb } from '@tthc/db';
import { createService, type ServiceApp } from '@tthc/service-kit';
import type { AppDeps } from './deps';
import { fieldRoutes } from './routes/field.routes';
import { procedureRoutes } from './routes/procedure.routes';


export async function buildApp(deps: AppDeps): Promise<ServiceApp> {
  const app = await createService({
    name: 'catalogue',
    description: 'Danh mục thủ tục hành chính: lĩnh vực, cơ quan, thủ tục và các phiên bản',
    logger: deps.logger,
    internalAuthSecret: deps.config.INTERNAL_AUTH_SECRET,
    readiness: { postgres: () => pingDb(deps.db), redis: () => deps.redis.ping() },
    tags: [
      { name: 'fields', description: 'Lĩnh vực' },
      { name: 'procedures', description: 'Thủ tục hành chính' },
    ],
  });
  fieldRoutes(app, deps);
  procedureRoutes(app, deps);
  return app;
}

export type { AppDeps };
