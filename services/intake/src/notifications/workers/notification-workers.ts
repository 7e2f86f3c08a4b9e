import { jobRetention } from '@tthc/bus';
import { Queue, Worker } from 'bullmq';
import { runReminderScan, type ScanDeps } from '../commands/reminder-scan.command';
import type { NotificationDeps } from '../notification.deps';
import { buildProviders, closeProviders, ProviderRateLimiter } from '../providers/provider-registry';
import { MessageDispatcher } from './message-dispatcher';
import { startSender } from './message-sender.worker';
import { startNotificationConsumer } from './notification-events.worker';
import { notificationQueues, sendQueues } from './notification-queues';

export interface NotificationWorkers {
  /** Sweeps for lost jobs and hands queued messages to the send queues now (tests; the loop does it on its own). */
  dispatchNow: () => Promise<number>;
  close: () => Promise<void>;
}

/**
 * The module's background work: the dossier-event consumer, the dispatcher, one sender per
 * channel and the repeatable reminder scan. Closed in reverse: no new work first, then senders,
 * then queues and provider connections.
 */
export function startNotificationWorkers(deps: NotificationDeps): NotificationWorkers {
  const providers = buildProviders(deps.config);
  for (const [channel, list] of Object.entries(providers)) {
    if (list.every((p) => p.name === 'log')) {
      deps.logger.warn(
        { channel, file: deps.config.NOTIFY_LOG_FILE },
        'notifications on this channel only go to the log file (development)',
      );
    } else if (list.some((p) => p.name === 'log')) {
      deps.logger.warn(
        { channel, providers: list.map((p) => p.name) },
        'the log provider after real providers only records: a message they all refuse stays failed and is alerted',
      );
    }
  }
  const queues = sendQueues(deps.bus, deps.config);
  const dispatcher = new MessageDispatcher(deps, queues);
  dispatcher.start();
  const limiter = new ProviderRateLimiter(deps.redis, deps.bus.prefix);
  const senders = (['sms', 'email', 'webhook'] as const).map((channel) =>
    startSender(deps, channel, providers[channel], limiter),
  );
  const consumer = startNotificationConsumer(deps);
  const scan = startReminderScan(deps);
  return {
    dispatchNow: () => dispatcher.dispatchOnce(true),
    close: async () => {
      await scan?.close();
      await consumer.close();
      await dispatcher.stop();
      await Promise.all(senders.map((w) => w.close()));
      await Promise.all(Object.values(queues).map((q) => q.close()));
      await closeProviders(providers);
    },
  };
}

const SCHEDULER_ID = 'reminder-scan';

/**
 * The repeatable reminder scan. The job scheduler lives in Redis, so every replica upserting it
 * keeps one schedule, and one worker runs each tick; the sent-log makes a tick that runs twice
 * anyway (a stalled job retried) harmless.
 */
export function startReminderScan(
  deps: ScanDeps & Pick<NotificationDeps, 'bus'>,
): { close: () => Promise<void> } | null {
  const every = deps.config.NOTIFY_SCAN_EVERY_MS;
  if (every === 0) return null;
  const connection = { connection: deps.bus.redis, prefix: deps.bus.prefix };
  const queue = new Queue(notificationQueues.scan, {
    ...connection,
    defaultJobOptions: { ...jobRetention, attempts: 1 },
  });
  queue
    .upsertJobScheduler(SCHEDULER_ID, { every }, { name: 'scan', data: {} })
    .catch((err: unknown) =>
      deps.logger.error({ err: (err as Error).message }, 'could not schedule the reminder scan'),
    );
  const worker = new Worker(notificationQueues.scan, () => runReminderScan(deps), {
    ...connection,
    concurrency: 1,
  });
  worker.on('failed', (_job, err) => deps.logger.error({ err: err.message }, 'reminder scan failed'));
  worker.on('error', (err) => deps.logger.error({ err: err.message }, 'reminder scan worker error'));
  return {
    close: async () => {
      await worker.close();
      await queue.close();
    },
  };
}
