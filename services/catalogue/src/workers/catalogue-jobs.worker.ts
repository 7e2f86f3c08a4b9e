import { JobRefused, startJobWorker, type BusConnection } from '@tthc/bus';
import { queues } from '@tthc/contracts';
import type { Db } from '@tthc/db';
import { HttpProblem, type Logger } from '@tthc/service-kit';
import type { Worker } from 'bullmq';
import { agencyDirectory } from '../commands/agency-directory.command';
import { procedureSnapshot } from '../commands/snapshot.command';
import { catalogueStatistics } from '../commands/statistics.command';
import type { CatalogueDb } from '../db/schema';
import { workingDaysBetweenFactory } from '../working-days';

/** Answers what other services ask the catalogue (catalogue.jobs). */
export function startCatalogueJobsWorker(deps: {
  db: Db<CatalogueDb>;
  bus: BusConnection;
  logger: Logger;
  workingDaysBetween?: (from: string, to: string) => number;
}): Worker {
  const workingDaysBetween = deps.workingDaysBetween ?? workingDaysBetweenFactory();
  return startJobWorker({
    queue: queues.catalogueJobs,
    bus: deps.bus,
    logger: deps.logger,
    concurrency: 8,
    handlers: {
      'catalogue.procedure-snapshot': (data) => procedureSnapshot(deps.db, data.code),
      'catalogue.agency-directory': () => agencyDirectory(deps.db),
      'catalogue.procedure-statistics': async (data) => {
        if (data.from && data.from > data.asOf) throw new JobRefused('/from: must be on or before asOf');
        try {
          return await catalogueStatistics({ db: deps.db, workingDaysBetween }, data);
        } catch (err) {
          // An unknown agency can never succeed: fail at once, naming the field.
          if (err instanceof HttpProblem && err.status < 500) throw new JobRefused(err.message);
          throw err;
        }
      },
    },
  });
}
