import { startConsumer, type BusConnection } from '@tthc/bus';
import { queues, type TypedEvent } from '@tthc/contracts';
import type { Db, Executor } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { Worker } from 'bullmq';
import { copyProcedureStatus, copyPublishedVersion } from '../commands/procedure-copy.command';
import type { IntakeDb } from '../db/schema';

/** Keeps the intake's copy of the catalogue current from procedure.* events. */
export function startCatalogueEventsWorker(deps: {
  db: Db<IntakeDb>;
  bus: BusConnection;
  logger: Logger;
}): Worker {
  const version = (
    event: TypedEvent<'procedure.published'> | TypedEvent<'procedure.changed'>,
    tx: Executor<IntakeDb>,
  ) => copyPublishedVersion(tx, event.payload, event.entityVersion);
  const status = (
    event:
      TypedEvent<'procedure.suspended'> | TypedEvent<'procedure.resumed'> | TypedEvent<'procedure.abolished'>,
    tx: Executor<IntakeDb>,
  ) =>
    copyProcedureStatus(tx, {
      code: event.payload.code,
      effective_from: event.payload.effectiveFrom,
      status: event.payload.status,
      event_version: event.entityVersion,
    });
  return startConsumer({
    queue: queues.intakeEvents,
    db: deps.db,
    bus: deps.bus,
    logger: deps.logger,
    handlers: {
      'procedure.published': version,
      'procedure.changed': version,
      'procedure.suspended': status,
      'procedure.resumed': status,
      'procedure.abolished': status,
    },
  });
}
