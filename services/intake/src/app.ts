import { ping as pingDb } from '@tthc/db';
import { createService, type ServiceApp } from '@tthc/service-kit';
import type { AppDeps } from './deps';
import { dossierRoutes } from './routes/dossier.routes';


export async function buildApp(deps: AppDeps): Promise<ServiceApp> {
  const app = await createService({
    name: 'intake',
    description: 'Tiếp nhận và giải quyết hồ sơ một cửa',
    logger: deps.logger,
    internalAuthSecret: deps.config.INTERNAL_AUTH_SECRET,
    readiness: { postgres: () => pingDb(deps.db), redis: () => deps.redis.ping() },
    tags: [{ name: 'dossiers', description: 'Hồ sơ' }],
  });
  dossierRoutes(app, deps);
  return app;
}

export type { AppDeps };
