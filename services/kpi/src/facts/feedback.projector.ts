import type { WorkingCalendar } from '@tthc/calendar';
import type { Executor } from '@tthc/db';
import { dossierIdsByCode, lockDossier, noteAgencies } from '../db/dossier.repository';
import { logFeedbackEvent, recordFeedback, type FeedbackEvent } from '../db/feedback.repository';
import type { KpiDb } from '../db/schema';
import { refoldDossiers } from './dossier.projector';

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
  const ids = (await dossierIdsByCode(tx, row.dossier_code)).sort();
  for (const id of ids) await lockDossier(tx, id);
  // Folded together: their rollups in one pass, then their rows (the order every writer keeps).
  await refoldDossiers(tx, ids, cal);
}
