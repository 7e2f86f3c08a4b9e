import { startConsumer } from '@tthc/bus';
import { queues } from '@tthc/contracts';
import type { Db, Executor } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { Worker } from 'bullmq';
import type { BusConnection } from '@tthc/bus';
import { markProcedureAbolished, upsertProcedure } from '../db/procedure.repository';
import type { IntakeDb } from '../db/schema';
import type { TypedEvent } from '@tthc/contracts';

/** Keeps the intake's copy of the catalogue current from procedure.* events. */
export function startCatalogueEventsWorker(deps: { db: Db<IntakeDb>; bus: BusConnection; logger: Logger }): Worker {
  const applyPublished = async (
    event: TypedEvent<'procedure.published'> | TypedEvent<'procedure.changed'>,
    tx: Executor<IntakeDb>,
  ) => {
    const p = event.payload;
    await upsertProcedure(tx, {
      code: p.code,
      procedure_id: p.procedureId,
      version: p.version,
      name: p.name,
      field_code: p.fieldCode,
      agency_code: p.agencyCode,
      processing_days: p.processingDays,
      online_level: p.onlineLevel,
      status: 'published',
    });
  };
  return startConsumer({
    queue: queues.intakeEvents,
    db: deps.db,
    bus: deps.bus,
    logger: deps.logger,
    handlers: {
      'procedure.published': applyPublished,
      'procedure.changed': applyPublished,
      'procedure.abolished': (event, tx) => markProcedureAbolished(tx, event.payload.code, event.payload.version),
    },
  });
}
