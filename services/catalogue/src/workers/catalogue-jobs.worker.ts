import { startJobWorker, type BusConnection } from '@tthc/bus';
import { queues } from '@tthc/contracts';
import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { Worker } from 'bullmq';
import { agencyDirectory } from '../commands/agency-directory.command';
import { procedureSnapshot } from '../commands/snapshot.command';
import type { CatalogueDb } from '../db/schema';

/** Answers what other services ask the catalogue (catalogue.jobs). */
export function startCatalogueJobsWorker(deps: {
  db: Db<CatalogueDb>;
  bus: BusConnection;
  logger: Logger;
}): Worker {
  return startJobWorker({
    queue: queues.catalogueJobs,
    bus: deps.bus,
    logger: deps.logger,
    concurrency: 8,
    handlers: {
      'catalogue.procedure-snapshot': (data) => procedureSnapshot(deps.db, data.code),
      'catalogue.agency-directory': () => agencyDirectory(deps.db),
    },
  });
}
