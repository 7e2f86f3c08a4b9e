import { JobProducer, type BusConnection } from '@tthc/bus';
import { queues } from '@tthc/contracts';
import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import { QueueEvents } from 'bullmq';
import type { KpiDb } from '../db/schema';
import { startKpiJobsWorker } from './kpi-jobs.worker';
import { startKpiEventsWorker } from './kpi-events.worker';
import { startStockCompaction } from './stock-compaction';

export interface Workers {
  close: () => Promise<void>;
}

export interface WorkerDeps {
  db: Db<KpiDb>;
  bus: BusConnection;
  logger: Logger;
  clock?: () => Date;
  /** The nightly reconciliation: a cron pattern in Asia/Ho_Chi_Minh (null: none) and the days it covers. */
  nightly?: { cron: string | null; days: number };
}

export function startWorkers(deps: WorkerDeps): Workers {
  const producer = new JobProducer(deps.bus);
  // QueueEvents blocks on its connection: its own, closed with it.
  const eventsConnection = deps.bus.redis.duplicate();
  const intakeJobEvents = new QueueEvents(queues.intakeJobs, {
    connection: eventsConnection,
    prefix: deps.bus.prefix,
  });
  const reconciliation = {
    db: deps.db,
    logger: deps.logger,
    producer,
    intakeJobEvents,
    clock: deps.clock ?? (() => new Date()),
  };
  const events = startKpiEventsWorker(deps);
  const compaction = startStockCompaction(deps);
  const jobsWorker = startKpiJobsWorker({ ...deps, reconciliation });
  const nightly = deps.nightly;
  if (nightly?.cron) {
    // The scheduler lives in Redis: every replica upserting it keeps one schedule.
    void producer
      .queue(queues.kpiJobs)
      .upsertJobScheduler(
        'kpi.reconcile-nightly',
        { pattern: nightly.cron, tz: 'Asia/Ho_Chi_Minh' },
        { name: 'kpi.reconcile-nightly', data: { days: nightly.days } },
      )
      .catch((err: unknown) => deps.logger.error({ err }, 'could not schedule the nightly reconciliation'));
  }
  return {
    close: async () => {
      await Promise.all([events.close(), jobsWorker.close(), compaction.close()]);
      await intakeJobEvents.close();
      eventsConnection.disconnect();
      await producer.close();
    },
  };
}
