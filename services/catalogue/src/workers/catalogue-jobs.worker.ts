import { jobRetention, type BusConnection } from '@tthc/bus';
import { jobs, queues } from '@tthc/contracts';
import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import { Worker } from 'bullmq';
import { procedureSnapshot } from '../commands/snapshot.command';
import type { CatalogueDb } from '../db/schema';

/** Answers what other services ask the catalogue (catalogue.jobs). */
export function startCatalogueJobsWorker(deps: { db: Db<CatalogueDb>; bus: BusConnection; logger: Logger }): Worker {
  const worker = new Worker(
    queues.catalogueJobs,
    async (job) => {
      switch (job.name) {
        case 'catalogue.procedure-snapshot': {
          const data = jobs['catalogue.procedure-snapshot'].data.parse(job.data);
          return jobs['catalogue.procedure-snapshot'].result.parse(await procedureSnapshot(deps.db, data.code));
        }
        default:
          throw new Error(`catalogue.jobs has no handler for job ${job.name}`);
      }
    },
    { connection: deps.bus.redis, prefix: deps.bus.prefix, concurrency: 8, ...jobRetention },
  );
  worker.on('error', (err) => deps.logger.error({ err }, 'catalogue jobs worker error'));
  return worker;
}
