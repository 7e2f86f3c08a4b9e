import type { WorkingCalendar } from '@tthc/calendar';
import type { Executor } from '@tthc/db';
import {
  dossierEvents,
  findStoredTimeline,
  lockDossier,
  logDossierEvent,
  noteAgencies,
  saveTimeline,
} from '../db/dossier.repository';
import { complaintsAbout } from '../db/feedback.repository';
import { procedureLevel } from '../db/procedure.repository';
import { addToLateRollups, addToRollups } from '../db/rollup.repository';
import type { KpiDb } from '../db/schema';
import { foldDossier, type DossierEvent } from '../domain/timeline';
import { derivedColumns, rollupDelta } from './derived';

/**
 * Projects dossier.* events into the dossier's timeline row and the daily rollups, in the
 * consumer's transaction. The event is logged, then the dossier is folded again from all its
 * logged events: so events arriving out of order, twice, or replayed give the same facts (an
 * older version never overwrites a newer one), and the rollups move by exactly the difference.
 */
export async function applyDossierEvent(
  tx: Executor<KpiDb>,
  event: DossierEvent,
  schemaVersion: number,
  cal?: WorkingCalendar,
): Promise<void> {
  await lockDossier(tx, event.payload.dossierId);
  await logDossierEvent(tx, event, schemaVersion);
  await noteAgencies(tx, [event.payload.agencyCode, event.payload.receivingAgencyCode]);
  await refoldDossier(tx, event.payload.dossierId, cal);
}

/** Folds a dossier again from its logged events (and complaints), moving the rollups by the difference. */
export async function refoldDossier(
  tx: Executor<KpiDb>,
  dossierId: string,
  cal?: WorkingCalendar,
): Promise<void> {
  const events = await dossierEvents(tx, dossierId);
  const stored = await findStoredTimeline(tx, dossierId);
  const before = stored?.timeline ?? null;
  const code = events[events.length - 1]?.payload.code;
  const after = foldDossier(events, code ? await complaintsAbout(tx, code) : []);
  if (!after) return;
  if (after.authorityLevel === null && after.procedureVersion !== null) {
    // A version-1 event did not carry the level: take the procedure version's, when known.
    after.authorityLevel = (await procedureLevel(
      tx,
      after.procedureCode,
      after.procedureVersion,
    )) as typeof after.authorityLevel;
  }
  const delta = rollupDelta(before, after, cal, stored?.lateKept ?? true);
  await addToRollups(tx, 'received', delta.received);
  await addToRollups(tx, 'ended', delta.ended);
  await addToLateRollups(tx, 'received', delta.receivedLate);
  await addToLateRollups(tx, 'ended', delta.endedLate);
  await saveTimeline(tx, after, derivedColumns(after, cal));
}
