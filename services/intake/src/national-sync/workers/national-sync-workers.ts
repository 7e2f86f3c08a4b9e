import { jobRetention } from '@tthc/bus';
import { internalQueues } from '@tthc/contracts';
import { Queue, Worker } from 'bullmq';
import { reconcile } from '../commands/reconcile.command';
import type { NationalSyncDeps } from '../national-sync.deps';
import { NationalPusher } from './national-pusher';
import { startSyncEventsConsumer } from './sync-events.worker';

export interface NationalSyncWorkers {
  /** One pusher round now (tests; the loop runs on its own). */
  pushNow: () => Promise<number>;
  close: () => Promise<void>;
}

const SCHEDULER_ID = 'national-reconciliation';

/**
 * The sync's background work: the dossier-event consumer (always, so the queue never fills when
 * the sync is off), and with the connection configured the pusher and the daily reconciliation
 * (a BullMQ job scheduler in Redis: every replica upserts the one schedule, one worker runs a tick).
 */
export function startNationalSyncWorkers(deps: NationalSyncDeps): NationalSyncWorkers {
  const consumer = startSyncEventsConsumer(deps);
  if (!deps.client) return { pushNow: async () => 0, close: () => consumer.close() };
  const client = deps.client;
  const pusher = new NationalPusher(deps, client);
  pusher.start();
  let schedule: { queue: Queue; worker: Worker } | null = null;
  const cron = deps.config.NATIONAL_SYNC_RECONCILE_CRON;
  if (cron !== 'off') {
    const connection = { connection: deps.bus.redis, prefix: deps.bus.prefix };
    const queue = new Queue(internalQueues.intakeNationalReconcile, {
      ...connection,
      defaultJobOptions: { ...jobRetention, attempts: 3, backoff: { type: 'exponential', delay: 60_000 } },
    });
    queue
      .upsertJobScheduler(
        SCHEDULER_ID,
        { pattern: cron, tz: 'Asia/Ho_Chi_Minh' },
        { name: 'reconcile', data: {} },
      )
      .catch((err: unknown) =>
        deps.logger.error({ err: (err as Error).message }, 'could not schedule the national reconciliation'),
      );
    const worker = new Worker(
      internalQueues.intakeNationalReconcile,
      () => reconcile(deps, client, 'schedule'),
      {
        ...connection,
        concurrency: 1,
      },
    );
    worker.on('error', (err) =>
      deps.logger.error({ err: err.message }, 'national reconciliation worker error'),
    );
    schedule = { queue, worker };
  }
  return {
    pushNow: () => pusher.runOnce(),
    close: async () => {
      await schedule?.worker.close();
      await schedule?.queue.close();
      await consumer.close();
      await pusher.stop();
    },
  };
}
