import { OutboxRelay, type BusConnection } from '@tthc/bus';
import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { CatalogueDb } from '../db/schema';
import { startCatalogueJobsWorker } from './catalogue-jobs.worker';

export interface Workers {
  relay: OutboxRelay;
  close: () => Promise<void>;
}

/** The catalogue's background work: the outbox relay that publishes procedure.* events, and the answers to other services' questions. */
export function startWorkers(deps: { db: Db<CatalogueDb>; bus: BusConnection; logger: Logger }): Workers {
  const relay = new OutboxRelay({ ...deps, name: 'catalogue' });
  relay.start();
  const answers = startCatalogueJobsWorker(deps);
  return {
    relay,
    close: async () => {
      await answers.close();
      await relay.stop();
    },
  };
}
