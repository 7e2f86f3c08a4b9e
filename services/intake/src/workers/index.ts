import { OutboxRelay, type BusConnection } from '@tthc/bus';
import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { IntakeDb } from '../db/schema';
import { startCatalogueEventsWorker } from './catalogue-events.worker';

export interface Workers {
  relay: OutboxRelay;
  close: () => Promise<void>;
}

/** The intake's background work: the outbox relay and the catalogue-events consumer. */
export function startWorkers(deps: { db: Db<IntakeDb>; bus: BusConnection; logger: Logger }): Workers {
  const relay = new OutboxRelay(deps);
  relay.start();
  const catalogueEvents = startCatalogueEventsWorker(deps);
  return {
    relay,
    close: async () => {
      await catalogueEvents.close();
      await relay.stop();
    },
  };
}
