import { OutboxRelay, type BusConnection } from '@tthc/bus';
import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { CatalogueDb } from '../db/schema';
import { startNationalPull, type NationalPuller, type NationalPullSettings } from '../national/pull.worker';
import { startCatalogueJobsWorker } from './catalogue-jobs.worker';

export interface Workers {
  relay: OutboxRelay;
  nationalPull: NationalPuller;
  close: () => Promise<void>;
}

/**
 * The catalogue's background work: the outbox relay that publishes procedure.* events, the
 * answers to other services' questions, and the pull of the national procedure database.
 */
export function startWorkers(deps: {
  db: Db<CatalogueDb>;
  /** The outbox relay's own pool (openResources); the shared one when absent (tests). */
  outboxDb?: Db<CatalogueDb>;
  bus: BusConnection;
  logger: Logger;
  clock?: () => Date;
  /** Without a source, the pull only answers that none is configured. */
  nationalPull?: NationalPullSettings;
  /** Drops cached published reads after a pull changed the catalogue. */
  onCatalogueChanged?: () => void;
}): Workers {
  const relay = new OutboxRelay({ ...deps, db: deps.outboxDb ?? deps.db, name: 'catalogue' });
  relay.start();
  const answers = startCatalogueJobsWorker(deps);
  const nationalPull = startNationalPull({
    ...deps,
    clock: deps.clock ?? (() => new Date()),
    settings: deps.nationalPull ?? { source: null, cron: null, attempts: 1, backoffMs: 1000 },
    onEventsWritten: () => relay.nudge(),
    onCatalogueChanged: deps.onCatalogueChanged ?? (() => undefined),
  });
  return {
    relay,
    nationalPull,
    close: async () => {
      await nationalPull.close();
      await answers.close();
      await relay.stop();
    },
  };
}
