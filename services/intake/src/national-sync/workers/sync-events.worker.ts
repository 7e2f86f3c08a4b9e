import { startConsumer, type EventHandler, type EventHandlers } from '@tthc/bus';
import { eventsRoutedTo, queues, type EventType } from '@tthc/contracts';
import { afterCommit } from '@tthc/db';
import type { Worker } from 'bullmq';
import { lockDossierLine, queuePush, recordOf } from '../db/national-sync.repository';
import { withSync } from '../db/national-sync.schema';
import { pushesQueued, type NationalSyncDeps } from '../national-sync.deps';

/**
 * Turns the intake's own dossier events (through the outbox) into pushes of the dossier's national
 * record, queued in its line in the consumer's transaction (applied once). One event at a time, in
 * the relay's order; the record is the dossier as it stands, so an event applied after a later
 * change queues nothing new. With the sync off, events are taken and nothing is queued.
 */
export function startSyncEventsConsumer(
  deps: Pick<NationalSyncDeps, 'db' | 'bus' | 'logger' | 'clock' | 'client'>,
): Worker {
  const on: EventHandler<Extract<EventType, `dossier.${string}`>> = async (event, tx) => {
    if (!deps.client) return;
    const db = withSync(tx);
    // The record is read under the line's lock, so a later one is never queued before an earlier.
    await lockDossierLine(db, event.payload.dossierId);
    const record = await recordOf(db, event.payload.dossierId);
    if (!record) return;
    if (await queuePush(db, event.payload.dossierId, event.type, record, deps.clock()))
      afterCommit(tx, () => pushesQueued.notify());
  };
  const handlers: EventHandlers = Object.fromEntries(
    eventsRoutedTo(queues.intakeNationalSync).map((t) => [t, on]),
  );
  return startConsumer({
    queue: queues.intakeNationalSync,
    db: deps.db,
    bus: deps.bus,
    logger: deps.logger,
    handlers,
    concurrency: 1,
    // With the sync off there is nothing to queue: no transaction per event.
    skip: () => !deps.client,
  });
}
