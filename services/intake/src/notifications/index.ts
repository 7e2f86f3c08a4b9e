import type { ServiceApp } from '@tthc/service-kit';
import type { NotificationDeps } from './notification.deps';
import { callbackRoutes } from './routes/callback.routes';
import { messageRoutes } from './routes/message.routes';
import { officerContactRoutes } from './routes/officer-contact.routes';
import { notificationSettingsRoutes } from './routes/settings.routes';
import { templateRoutes } from './routes/template.routes';

/**
 * Citizen notifications and officer reminders (issue 5), a module of the intake service:
 * messages are written from the intake's own dossier events (through the outbox, applied once),
 * sent by BullMQ workers through pluggable providers with failover, retries and delivery
 * tracking; a repeatable scan reminds officers of due dates.
 */
export function notificationRoutes(app: ServiceApp, deps: NotificationDeps): void {
  deps.metrics.registerOn(app.metricsRegistry);
  templateRoutes(app, deps);
  notificationSettingsRoutes(app, deps);
  officerContactRoutes(app, deps);
  messageRoutes(app, deps);
  callbackRoutes(app, deps);
}

export const NOTIFICATIONS_TAG = {
  name: 'notifications',
  description: 'Thông báo cho công dân và nhắc hạn cán bộ',
};

export {
  NotificationConfig,
  notificationConfigIssues,
  refineNotificationConfig,
} from './notification.config';
export {
  createNotificationMetrics,
  type NotificationDeps,
  type NotificationMetrics,
} from './notification.deps';
export { startNotificationWorkers, type NotificationWorkers } from './workers/notification-workers';
export { runReminderScan, type ScanResult } from './commands/reminder-scan.command';
export { verifySignature, SIGNATURE_HEADER } from './providers/webhook.provider';
