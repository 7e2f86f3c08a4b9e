import { JobProducer } from '@tthc/bus';
import { ping as pingDb } from '@tthc/db';
import { createService, type ServiceApp } from '@tthc/service-kit';
import type { AppDeps } from './deps';
import { receivedRoutes } from './routes/received.routes';
import { deadLetterRoutes } from './routes/dead-letters.routes';
import { indicatorRoutes } from './routes/indicators.routes';
import { reconciliationRoutes } from './routes/reconciliation.routes';
import { ruleSetRoutes } from './routes/rule-sets.routes';
import { statisticsRoutes } from './routes/statistics.routes';
import { frameworkRoutes } from './routes/frameworks.routes';
import { planRoutes } from './routes/plan.routes';
import { rankingRoutes } from './routes/rankings.routes';
import { acceptSheets, targetRoutes } from './routes/targets.routes';

export async function buildApp(deps: AppDeps): Promise<ServiceApp> {
  const app = await createService({
    name: 'kpi',
    description: 'Chỉ số đánh giá: dữ kiện, tổng hợp theo ngày, bộ chỉ số và bảng điểm',
    logger: deps.logger,
    internalAuthSecret: deps.config.INTERNAL_AUTH_SECRET,
    idempotencyDb: deps.db,
    readiness: { postgres: () => pingDb(deps.db), redis: () => deps.redis.ping() },
    tags: [{ name: 'kpi', description: 'Chỉ số' }],
  });
  const jobs = new JobProducer({ redis: deps.redis, prefix: deps.queuePrefix });
  app.addHook('onClose', async () => jobs.close());
  receivedRoutes(app, deps);
  statisticsRoutes(app, deps);
  indicatorRoutes(app, deps);
  ruleSetRoutes(app, deps);
  reconciliationRoutes(app, { ...deps, jobs });
  deadLetterRoutes(app, deps);
  acceptSheets(app);
  targetRoutes(app, deps);
  frameworkRoutes(app, deps);
  planRoutes(app, deps);
  rankingRoutes(app, deps);
  return app;
}

export type { AppDeps };
