import type { Redis } from 'ioredis';
import type { Channel } from '../db/notification.schema';
import type { NotificationConfig } from '../notification.config';
import { LogProvider } from './log.provider';
import type { NotificationProvider } from './provider';
import { smsGatewaySettings, SmsHttpProvider } from './sms-http.provider';
import { smtpSettings, SmtpProvider } from './smtp.provider';
import { WebhookProvider } from './webhook.provider';

export type ProvidersByChannel = Record<Channel, NotificationProvider[]>;

/** The providers of each channel in failover order, built from the configuration. */
export function buildProviders(c: NotificationConfig): ProvidersByChannel {
  // The log delivers only where it is the channel's one provider (see LogProvider).
  const logFor = (names: readonly string[]) => new LogProvider(c.NOTIFY_LOG_FILE, names.every((n) => n === 'log'));
  const sms = c.NOTIFY_SMS_PROVIDERS.map((name): NotificationProvider => {
    switch (name) {
      case 'sms_gateway':
        return new SmsHttpProvider(name, smsGatewaySettings(c, 'NOTIFY_SMS_GATEWAY'));
      case 'sms_backup':
        return new SmsHttpProvider(name, smsGatewaySettings(c, 'NOTIFY_SMS_BACKUP'));
      case 'log':
        return logFor(c.NOTIFY_SMS_PROVIDERS);
    }
  });
  const email = c.NOTIFY_EMAIL_PROVIDERS.map((name): NotificationProvider => {
    switch (name) {
      case 'smtp':
        return new SmtpProvider(name, smtpSettings(c, 'NOTIFY_SMTP'));
      case 'smtp_backup':
        return new SmtpProvider(name, smtpSettings(c, 'NOTIFY_SMTP_BACKUP'));
      case 'log':
        return logFor(c.NOTIFY_EMAIL_PROVIDERS);
    }
  });
  const webhook = c.NOTIFY_WEBHOOK_PROVIDERS.map((name): NotificationProvider => {
    switch (name) {
      case 'webhook':
        return new WebhookProvider(name, c);
      case 'log':
        return logFor(c.NOTIFY_WEBHOOK_PROVIDERS);
    }
  });
  return { sms, email, webhook };
}

export async function closeProviders(p: ProvidersByChannel): Promise<void> {
  const unique = new Set([...p.sms, ...p.email, ...p.webhook]);
  await Promise.all([...unique].map((x) => x.close?.()));
}

/**
 * Sends per second per provider, counted in Redis so that every replica shares the limit (a
 * brandname gateway's contract is per account, not per process). A fixed one-second window:
 * simple, and a burst of at most twice the rate at a window edge is within what gateways accept.
 * Real time, not the injectable clock: this is about throughput.
 */
export class ProviderRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** 0 when a slot was taken, else the milliseconds until the next window. */
  async take(provider: string, perSecond: number | null): Promise<number> {
    if (perSecond === null) return 0;
    const now = this.now();
    const key = `${this.prefix}:notify-rate:${provider}:${Math.floor(now / 1000)}`;
    const result = await this.redis.multi().incr(key).pexpire(key, 2000).exec();
    const count = Number(result?.[0]?.[1] ?? 0);
    return count <= perSecond ? 0 : 1000 - (now % 1000);
  }
}
