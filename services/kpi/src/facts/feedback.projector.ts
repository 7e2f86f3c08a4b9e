import type { WorkingCalendar } from '@tthc/calendar';
import type { Executor } from '@tthc/db';
import { dossierIdsByCode, lockDossier, noteAgencies } from '../db/dossier.repository';
import { logFeedbackEvent, recordFeedback, type FeedbackEvent } from '../db/feedback.repository';
import type { KpiDb } from '../db/schema';
import { refoldDossier } from './dossier.projector';

/**
 * Projects feedback.* events. A complaint about the handling of a dossier (kind handling, naming
 * its code) is a fact of that dossier too: it is folded into the dossier's timeline, now if kpi
 * knows the dossier, else when the dossier's events arrive.
 */
export async function applyFeedbackEvent(
  tx: Executor<KpiDb>,
  event: FeedbackEvent,
  schemaVersion: number,
  cal?: WorkingCalendar,
): Promise<void> {
  await logFeedbackEvent(tx, event, schemaVersion);
  await noteAgencies(tx, [event.payload.agencyCode]);
  const row = await recordFeedback(tx, event);
  if (event.type !== 'feedback.received' || row.kind !== 'handling' || !row.dossier_code) return;
  for (const id of (await dossierIdsByCode(tx, row.dossier_code)).sort()) {
    await lockDossier(tx, id);
    await refoldDossier(tx, id, cal);
  }
}
