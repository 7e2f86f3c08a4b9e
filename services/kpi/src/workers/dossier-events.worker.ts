import { startConsumer, type BusConnection } from '@tthc/bus';
import { vnDate } from '@tthc/calendar';
import { queues, type TypedEvent } from '@tthc/contracts';
import type { Db, Executor } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { Worker } from 'bullmq';
import { upsertProcedureFact } from '../db/procedure-fact.repository';
import { recordDossierFact, recordFeedbackFact } from '../db/dossier-fact.repository';
import { countReceived } from '../db/received.repository';
import type { KpiDb } from '../db/schema';

/** Turns events into facts and daily counts; each event is applied once (inbox). */
export function startKpiEventsWorker(deps: { db: Db<KpiDb>; bus: BusConnection; logger: Logger }): Worker {
  const procedure = async (
    event: TypedEvent<'procedure.published'> | TypedEvent<'procedure.changed'>,
    tx: Executor<KpiDb>,
  ) => {
    const p = event.payload;
    await upsertProcedureFact(tx, {
      code: p.code,
      version: p.version,
      field_code: p.fieldCode,
      agency_code: p.decidingAgencyCode,
      online_level: p.onlineLevel,
      status: 'published',
    });
  };
  const status = (
    event: TypedEvent<'procedure.suspended'> | TypedEvent<'procedure.resumed'> | TypedEvent<'procedure.abolished'>,
    tx: Executor<KpiDb>,
  ) =>
    upsertProcedureFact(tx, {
      code: event.payload.code,
      version: event.payload.version,
      field_code: null,
      agency_code: null,
      online_level: null,
      status: event.payload.status,
    });
  const fact = (event: Parameters<typeof recordDossierFact>[1], tx: Executor<KpiDb>) => recordDossierFact(tx, event);
  return startConsumer({
    queue: queues.kpiEvents,
    db: deps.db,
    bus: deps.bus,
    logger: deps.logger,
    handlers: {
      'dossier.received': async (event, tx) => {
        await fact(event, tx);
        await countReceived(tx, event.payload.agencyCode, vnDate(new Date(event.payload.receivedAt)));
      },
      'dossier.status_changed': fact,
      'dossier.supplement_requested': fact,
      'dossier.supplement_completed': fact,
      'dossier.rescheduled': fact,
      'dossier.resolved': fact,
      'dossier.returned': fact,
      'dossier.paid': fact,
      'dossier.rated': fact,
      'feedback.received': (event, tx) => recordFeedbackFact(tx, event),
      'feedback.answered': (event, tx) => recordFeedbackFact(tx, event),
      'feedback.rated': (event, tx) => recordFeedbackFact(tx, event),
      'procedure.published': procedure,
      'procedure.changed': procedure,
      'procedure.suspended': status,
      'procedure.resumed': status,
      'procedure.abolished': status,
    },
  });
}
