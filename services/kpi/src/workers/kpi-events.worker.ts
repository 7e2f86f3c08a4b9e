import { startConsumer, type BusConnection } from '@tthc/bus';
import { queues } from '@tthc/contracts';
import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { Worker } from 'bullmq';
import type { KpiDb } from '../db/schema';
import { applyDossierEvent } from '../facts/dossier.projector';
import { applyFeedbackEvent } from '../facts/feedback.projector';
import { applyProcedureStatus, applyProcedureVersion } from '../facts/procedure.projector';

/** Turns events into facts and rollups; each event is applied once (inbox), in its own transaction. */
export function startKpiEventsWorker(deps: { db: Db<KpiDb>; bus: BusConnection; logger: Logger }): Worker {
  const dossier = (event: Parameters<typeof applyDossierEvent>[1], tx: Parameters<typeof applyDossierEvent>[0]) =>
    applyDossierEvent(tx, event, event.schemaVersion);
  const feedback = (event: Parameters<typeof applyFeedbackEvent>[1], tx: Parameters<typeof applyFeedbackEvent>[0]) =>
    applyFeedbackEvent(tx, event, event.schemaVersion);
  return startConsumer({
    queue: queues.kpiEvents,
    db: deps.db,
    bus: deps.bus,
    logger: deps.logger,
    handlers: {
      'dossier.received': dossier,
      'dossier.status_changed': dossier,
      'dossier.supplement_requested': dossier,
      'dossier.supplement_completed': dossier,
      'dossier.rescheduled': dossier,
      'dossier.resolved': dossier,
      'dossier.returned': dossier,
      'dossier.paid': dossier,
      'dossier.rated': dossier,
      'feedback.received': feedback,
      'feedback.answered': feedback,
      'feedback.rated': feedback,
      'procedure.published': (event, tx) => applyProcedureVersion(tx, event),
      'procedure.changed': (event, tx) => applyProcedureVersion(tx, event),
      'procedure.suspended': (event, tx) => applyProcedureStatus(tx, event),
      'procedure.resumed': (event, tx) => applyProcedureStatus(tx, event),
      'procedure.abolished': (event, tx) => applyProcedureStatus(tx, event),
    },
  });
}
