import type { EventHandlers } from '@tthc/bus';
import { applyDossierEvent } from './dossier.projector';
import { applyFeedbackEvent } from './feedback.projector';
import { applyProcedureStatus, applyProcedureVersion } from './procedure.projector';

const dossier = (
  event: Parameters<typeof applyDossierEvent>[1],
  tx: Parameters<typeof applyDossierEvent>[0],
) => applyDossierEvent(tx, event, event.schemaVersion);
const feedback = (
  event: Parameters<typeof applyFeedbackEvent>[1],
  tx: Parameters<typeof applyFeedbackEvent>[0],
) => applyFeedbackEvent(tx, event, event.schemaVersion);

/** How kpi applies each event it subscribes to (the consumer, and the replay of a parked one). */
export const kpiEventHandlers: Required<
  Pick<EventHandlers, Exclude<keyof EventHandlers, 'report.requested' | 'report.ready' | 'report.failed'>>
> = {
  'dossier.received': dossier,
  'dossier.status_changed': dossier,
  'dossier.supplement_requested': dossier,
  'dossier.supplement_completed': dossier,
  'dossier.rescheduled': dossier,
  'dossier.resolved': dossier,
  'dossier.returned': dossier,
  'dossier.paid': dossier,
  'dossier.rated': dossier,
  'dossier.national_synced': dossier,
  'feedback.received': feedback,
  'feedback.answered': feedback,
  'feedback.rated': feedback,
  'procedure.published': (event, tx) => applyProcedureVersion(tx, event),
  'procedure.changed': (event, tx) => applyProcedureVersion(tx, event),
  'procedure.suspended': (event, tx) => applyProcedureStatus(tx, event),
  'procedure.resumed': (event, tx) => applyProcedureStatus(tx, event),
  'procedure.abolished': (event, tx) => applyProcedureStatus(tx, event),
};
