import type { BusConnection } from '@tthc/bus';
import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { Redis } from 'ioredis';
import { Counter, type Registry } from 'prom-client';
import type { CalendarProvider } from '../calendar';
import type { IntakeDb } from '../db/schema';
import type { NotificationConfig } from './notification.config';

/**
 * The module's counters. They are created unregistered and registered on the service's registry
 * by notificationRoutes (app.metricsRegistry), so /metrics shows them beside the HTTP metrics.
 */
export interface NotificationMetrics {
  /** The alert: a message that will not be delivered. */
  permanentlyFailed: Counter<'channel' | 'audience'>;
  sent: Counter<'channel' | 'provider'>;
  providerFailures: Counter<'provider'>;
  reminders: Counter<'kind'>;
  registerOn: (registry: Registry) => void;
}

export function createNotificationMetrics(): NotificationMetrics {
  const permanentlyFailed = new Counter({
    name: 'notifications_permanently_failed_total',
    help: 'Messages that exhausted their attempts or were refused for good (each is listed at GET /v1/notifications/alerts)',
    labelNames: ['channel', 'audience'] as const,
    registers: [],
  });
  const sent = new Counter({
    name: 'notifications_sent_total',
    help: 'Messages accepted by a provider',
    labelNames: ['channel', 'provider'] as const,
    registers: [],
  });
  const providerFailures = new Counter({
    name: 'notification_provider_failures_total',
    help: 'Failed send calls by provider',
    labelNames: ['provider'] as const,
    registers: [],
  });
  const reminders = new Counter({
    name: 'notification_reminders_total',
    help: 'Officer reminders and digests fired',
    labelNames: ['kind'] as const,
    registers: [],
  });
  const all: [string, Counter<string>][] = [
    ['notifications_permanently_failed_total', permanentlyFailed],
    ['notifications_sent_total', sent],
    ['notification_provider_failures_total', providerFailures],
    ['notification_reminders_total', reminders],
  ];
  return {
    permanentlyFailed,
    sent,
    providerFailures,
    reminders,
    registerOn: (registry) => {
      for (const [name, m] of all) if (!registry.getSingleMetric(name)) registry.registerMetric(m);
    },
  };
}

/** What the notification module needs from the intake process. */
export interface NotificationDeps {
  db: Db<IntakeDb>;
  redis: Redis;
  bus: BusConnection;
  logger: Logger;
  /** The one source of time (tests set it). */
  clock: () => Date;
  calendars: CalendarProvider;
  config: NotificationConfig;
  metrics: NotificationMetrics;
}
