import { jobRetention, type BusConnection } from '@tthc/bus';
import { internalQueues, Traceparent } from '@tthc/contracts';
import { Queue } from 'bullmq';
import { z } from 'zod';
import type { Channel } from '../db/notification.schema';
import type { NotificationConfig } from '../notification.config';

/**
 * The module's own queues: work inside the intake service, not messages between services (named
 * with the suite's other internal queues in @tthc/contracts, so the queue dashboard lists them).
 * One send queue per channel, so that a rate-limited SMS gateway does not hold e-mail back.
 */
export const notificationQueues = {
  sms: internalQueues.intakeNotifySms,
  email: internalQueues.intakeNotifyEmail,
  webhook: internalQueues.intakeNotifyWebhook,
  scan: internalQueues.intakeNotifyScan,
} as const;

/** A send job names the message; everything else is read from the row, which is the truth. */
export const SendJob = z.object({
  messageId: z.uuid(),
  /**
   * The last provider that took the message without answering, and when (epoch ms, wall time):
   * the next provider waits until NOTIFY_UNANSWERED_FAILOVER_MS after it.
   */
  unanswered: z.object({ provider: z.string(), at: z.number() }).optional(),
  /** The trace the message was written in (tracing on); the send's span continues it. */
  traceparent: Traceparent.optional().catch(undefined),
});
export type SendJob = z.infer<typeof SendJob>;

/** Attempts and exponential backoff are per job, so a retry after a failure waits delay × 2^(n-1). */
export function sendQueues(bus: BusConnection, config: NotificationConfig): Record<Channel, Queue> {
  const make = (name: string) =>
    new Queue(name, {
      connection: bus.redis,
      prefix: bus.prefix,
      defaultJobOptions: {
        ...jobRetention,
        attempts: config.NOTIFY_MAX_ATTEMPTS,
        backoff: { type: 'exponential', delay: config.NOTIFY_BACKOFF_MS },
      },
    });
  return {
    sms: make(notificationQueues.sms),
    email: make(notificationQueues.email),
    webhook: make(notificationQueues.webhook),
  };
}

/** BullMQ job ids may not contain ':'; the send round makes a manual retry a new job. */
export const sendJobId = (messageId: string, round: number): string => `${messageId}-r${round}`;
