import { jobRetention, type BusConnection } from '@tthc/bus';
import { jobs, queues } from '@tthc/contracts';
import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import { Worker } from 'bullmq';
import { receivedBetween } from '../db/received.repository';
import type { KpiDb } from '../db/schema';
import { summariseReceived } from '../domain/counts';

/** Answers figures that other services (reports) ask for inside their flows. */
export function startKpiJobsWorker(deps: { db: Db<KpiDb>; bus: BusConnection; logger: Logger }): Worker {
  const worker = new Worker(
    queues.kpiJobs,
    async (job) => {
      switch (job.name) {
        case 'kpi.count-received': {
          const data = jobs['kpi.count-received'].data.parse(job.data);
          const days = await receivedBetween(deps.db, data);
          return jobs['kpi.count-received'].result.parse(summariseReceived(data, days));
        }
        default:
          throw new Error(`kpi.jobs has no handler for job ${job.name}`);
      }
    },
    { connection: deps.bus.redis, prefix: deps.bus.prefix, concurrency: 4, ...jobRetention },
  );
  worker.on('failed', (job, err) => deps.logger.error({ jobId: job?.id, err }, 'kpi job failed'));
  worker.on('error', (err) => deps.logger.error({ err }, 'kpi jobs worker error'));
  return worker;
}
