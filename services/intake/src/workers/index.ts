import { OutboxRelay, type BusConnection } from '@tthc/bus';
import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { IntakeDb } from '../db/schema';
import { startNotificationWorkers, type NotificationDeps } from '../notifications';
import { startCatalogueEventsWorker } from './catalogue-events.worker';
import { startReconciliationWorker } from './reconciliation.worker';

export interface Workers {
  relay: OutboxRelay;
  close: () => Promise<void>;
}

/** The intake's background work: the outbox relay and the catalogue-events consumer. */
export function startWorkers(deps: {
  db: Db<IntakeDb>;
  bus: BusConnection;
  logger: Logger;
  notifications?: NotificationDeps;
}): Workers {
  const relay = new OutboxRelay({ ...deps, name: 'intake' });
  relay.start();
  const catalogueEvents = startCatalogueEventsWorker(deps);
  const reconciliation = startReconciliationWorker(deps);
  const notifications = deps.notifications ? startNotificationWorkers(deps.notifications) : null;
  return {
    relay,
    close: async () => {
      await notifications?.close();
      await catalogueEvents.close();
      await reconciliation.close();
      await relay.stop();
    },
  };
}
