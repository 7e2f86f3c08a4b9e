import { startConsumer, type BusConnection } from '@tthc/bus';
import { queues, type TypedEvent } from '@tthc/contracts';
import type { Db, Executor } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { Worker } from 'bullmq';
import { addProcedureStatus, upsertProcedureVersion } from '../db/procedure.repository';
import type { IntakeDb } from '../db/schema';

/** Keeps the intake's copy of the catalogue current from procedure.* events. */
export function startCatalogueEventsWorker(deps: { db: Db<IntakeDb>; bus: BusConnection; logger: Logger }): Worker {
  const version = async (event: TypedEvent<'procedure.published'> | TypedEvent<'procedure.changed'>, tx: Executor<IntakeDb>) => {
    const p = event.payload;
    await upsertProcedureVersion(tx, {
      code: p.code,
      version: p.version,
      procedure_id: p.procedureId,
      name: p.name,
      field_code: p.fieldCode,
      deciding_agency_code: p.decidingAgencyCode,
      receiving_agency_code: p.receivingAgencyCode,
      online_level: p.onlineLevel,
      methods: JSON.stringify(p.methods),
      components: JSON.stringify(p.components),
      inter_agency: p.interAgency ? JSON.stringify(p.interAgency) : null,
      fee_bearing: p.feeBearing,
      authority_level: p.authorityLevel,
      legacy_level: p.legacyLevel,
      result_is_paper: p.resultIsPaper,
      online_payment: p.onlinePayment,
      valid_from: p.validFrom,
    });
    await addProcedureStatus(tx, { code: p.code, effective_from: p.validFrom, status: 'published', event_version: event.entityVersion });
  };
  const status = (
    event: TypedEvent<'procedure.suspended'> | TypedEvent<'procedure.resumed'> | TypedEvent<'procedure.abolished'>,
    tx: Executor<IntakeDb>,
  ) =>
    addProcedureStatus(tx, {
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
