import { outboxBacklog } from '@tthc/bus';
import { ping as pingDb } from '@tthc/db';
import { createService, periodicGauge, type ServiceApp } from '@tthc/service-kit';
import type { AppDeps } from './deps';
import { auditExportRoutes } from './audit/audit-export.routes';
import { actionRoutes } from './routes/action.routes';
import { dossierRoutes } from './routes/dossier.routes';
import { feedbackRoutes } from './feedback';
import { NATIONAL_SYNC_TAG, NationalSyncConfig, registerNationalSync } from './national-sync';
import { NOTIFICATIONS_TAG, notificationRoutes } from './notifications';
import { importRoutes } from './historical-import';
import { ratingRoutes } from './routes/rating.routes';
import { settingsRoutes } from './calendar';
import { dueDateRoutes } from './routes/due-date.routes';
import { slipRoutes } from './slips';
import { trackingRoutes } from './routes/tracking.routes';
import { countOverdueByAgency } from './db/dossier.repository';
import { overdueNowCutoff } from './domain/dossier-clock';

export async function buildApp(deps: AppDeps): Promise<ServiceApp> {
  const app = await createService({
    name: 'intake',
    description: 'Tiếp nhận và giải quyết hồ sơ một cửa, một cửa liên thông',
    logger: deps.logger,
    internalAuthSecret: deps.config.INTERNAL_AUTH_SECRET,
    idempotencyDb: deps.db,
    readiness: { postgres: () => pingDb(deps.db), redis: () => deps.redis.ping() },
    outboxBacklog: () => outboxBacklog(deps.db),
    tags: [
      { name: 'dossiers', description: 'Hồ sơ' },
      { name: 'dossier-actions', description: 'Xử lý hồ sơ' },
      { name: 'tracking', description: 'Tra cứu hồ sơ' },
      { name: 'calendar', description: 'Lịch làm việc và bộ quy tắc' },
      { name: 'feedback', description: 'Phản ánh, kiến nghị' },
      NOTIFICATIONS_TAG,
      NATIONAL_SYNC_TAG,
      { name: 'audit', description: 'Xuất nhật ký kiểm tra (quản trị)' },
    ],
  });
  importRoutes(app, deps);
  dossierRoutes(app, deps);
  actionRoutes(app, deps);
  ratingRoutes(app, deps);
  trackingRoutes(app, deps);
  settingsRoutes(app, deps);
  dueDateRoutes(app, deps);
  slipRoutes(app, deps);
  feedbackRoutes(app, deps);
  auditExportRoutes(app, deps);
  if (deps.notifications) notificationRoutes(app, deps.notifications);
  registerNationalSync(app, {
    db: deps.db,
    clock: deps.clock,
    logger: deps.logger,
    client: deps.nationalSync?.client ?? null,
    config: deps.nationalSync?.config ?? NationalSyncConfig.parse({}),
  });
  // What an operator watches: dossiers past their appointment, per agency (read once a minute).
  periodicGauge(app.metricsRegistry, {
    name: 'dossiers_overdue_now',
    help: 'Dossiers whose clock runs and whose appointment is before today (Asia/Ho_Chi_Minh), by owning agency',
    labelNames: ['agency'],
    everyMs: 60_000,
    read: async () =>
      (await countOverdueByAgency(deps.db, overdueNowCutoff(deps.clock()))).map((r) => ({
        labels: { agency: r.agencyCode },
        value: r.overdue,
      })),
  });
  return app;
}

export type { AppDeps };
