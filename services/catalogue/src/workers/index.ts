import { OutboxRelay, type BusConnection } from '@tthc/bus';
import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { CatalogueDb } from '../db/schema';

export interface Workers {
  relay: OutboxRelay;
  close: () => Promise<void>;
}

/** The catalogue's background work: the outbox relay that publishes procedure.* events. */
export function startWorkers(deps: { db: Db<CatalogueDb>; bus: BusConnection; logger: Logger }): Workers {
  const relay = new OutboxRelay(deps);
  relay.start();
  return { relay, close: () => relay.stop() };
}
