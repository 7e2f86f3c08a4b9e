import type { ServiceApp } from '@tthc/service-kit';
import type { NationalSyncDeps } from './national-sync.deps';
import { registerNationalSyncMetrics } from './national-sync.metrics';
import { nationalSyncRoutes } from './routes/national-sync.routes';

/**
 * Dossier status sync to the national public-service portal (issue 18), a module of the intake
 * service: dossier events (through the outbox, applied once) queue pushes of the dossier's national
 * record, delivered in order per dossier with retries, backoff and a dead-letter list; the mapping
 * to the national names and codes is data; a daily reconciliation compares states and re-pushes.
 */
export function registerNationalSync(
  app: ServiceApp,
  deps: Pick<NationalSyncDeps, 'db' | 'clock' | 'client' | 'config' | 'logger'>,
): void {
  registerNationalSyncMetrics(app.metricsRegistry);
  nationalSyncRoutes(app, deps);
}

export const NATIONAL_SYNC_TAG = {
  name: 'national-sync',
  description: 'Đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia',
};

export { NationalClient, NationalCallError } from './client/national-client';
export { NationalSyncConfig, nationalSyncOn, refineNationalSyncConfig } from './national-sync.config';
export type { NationalSyncDeps } from './national-sync.deps';
export { startNationalSyncWorkers, type NationalSyncWorkers } from './workers/national-sync-workers';
export { reconcile } from './commands/reconcile.command';
