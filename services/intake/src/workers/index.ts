import { OutboxRelay, type BusConnection } from '@tthc/bus';
import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { IntakeDb } from '../db/schema';
import { NationalSyncConfig, startNationalSyncWorkers, type NationalSyncDeps } from '../national-sync';
import { startNotificationWorkers, type NotificationDeps } from '../notifications';
import { startCatalogueEventsWorker } from './catalogue-events.worker';
import { startReconciliationWorker } from './reconciliation.worker';

export interface Workers {
  relay: OutboxRelay;
  /** One national pusher round now (tests). */
  pushNationalNow: () => Promise<number>;
  close: () => Promise<void>;
}

/** The intake's background work: the outbox relay and the catalogue-events consumer. */
export function startWorkers(deps: {
  db: Db<IntakeDb>;
  /** The outbox relay's own pool (openResources); the shared one when absent (tests). */
  outboxDb?: Db<IntakeDb>;
  bus: BusConnection;
  logger: Logger;
  notifications?: NotificationDeps;
  /** The national sync's settings and client (null when off); its event consumer runs either way. */
  nationalSync?: Pick<NationalSyncDeps, 'client' | 'config' | 'clock'>;
}): Workers {
  const relay = new OutboxRelay({ ...deps, db: deps.outboxDb ?? deps.db, name: 'intake' });
  relay.start();
  const catalogueEvents = startCatalogueEventsWorker(deps);
  const reconciliation = startReconciliationWorker(deps);
  const notifications = deps.notifications ? startNotificationWorkers(deps.notifications) : null;
  const national = startNationalSyncWorkers({
    db: deps.db,
    bus: deps.bus,
    logger: deps.logger,
    clock: deps.nationalSync?.clock ?? (() => new Date()),
    client: deps.nationalSync?.client ?? null,
    config: deps.nationalSync?.config ?? NationalSyncConfig.parse({}),
  });
  return {
    relay,
    pushNationalNow: () => national.pushNow(),
    close: async () => {
      await national.close();
      await notifications?.close();
      await catalogueEvents.close();
      await reconciliation.close();
      await relay.stop();
    },
  };
}
