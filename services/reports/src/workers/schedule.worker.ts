import { JobProducer, startJobWorker, type BusConnection } from '@tthc/bus';
import { queues } from '@tthc/contracts';
import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { Worker } from 'bullmq';
import { requestScheduledReport } from '../commands/report.command';
import { listSchedules } from '../db/schedule.repository';
import type { ReportsDb } from '../db/schema';

/**
 * The schedules' tick: a repeatable job (cron in Asia/Ho_Chi_Minh, kept in Redis so every replica
 * upserting it keeps one) that asks, for each enabled schedule, the report of the last period
 * that has closed; a period already asked for is left alone, so a tick may run any number of times.
 */
export function startScheduleWorker(deps: {
  db: Db<ReportsDb>;
  bus: BusConnection;
  logger: Logger;
  clock: () => Date;
  cron: string | null;
  onEventsWritten: () => void;
}): { worker: Worker; close: () => Promise<void> } {
  const producer = new JobProducer(deps.bus);
  const worker = startJobWorker({
    queue: queues.reportsSchedules,
    bus: deps.bus,
    logger: deps.logger,
    concurrency: 1,
    handlers: {
      'reports.schedule-tick': async () => {
        const requested: string[] = [];
        for (const schedule of await listSchedules(deps.db, { enabledOnly: true })) {
          const report = await requestScheduledReport(deps, schedule);
          if (report) requested.push(report.id);
        }
        if (requested.length > 0) deps.onEventsWritten();
        return { requested };
      },
    },
  });
  if (deps.cron) {
    void producer
      .queue(queues.reportsSchedules)
      .upsertJobScheduler(
        'reports.schedule-tick',
        { pattern: deps.cron, tz: 'Asia/Ho_Chi_Minh' },
        { name: 'reports.schedule-tick', data: {} },
      )
      .catch((err: unknown) => deps.logger.error({ err }, 'could not schedule the report schedules'));
  }
  return {
    worker,
    close: async () => {
      await worker.close();
      await producer.close();
    },
  };
}
