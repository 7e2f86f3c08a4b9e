import type { WorkingCalendar } from '@tthc/calendar';
import type { Executor } from '@tthc/db';
import { foldInputs, saveTimelines, takeDossierEvents, timelineChildRows } from '../db/dossier.repository';
import { procedureLevel } from '../db/procedure.repository';
import { addToLateRollups, addToRollups } from '../db/rollup.repository';
import type { KpiDb } from '../db/schema';
import { foldDossier, type DossierEvent, type DossierTimeline } from '../domain/timeline';
import { derivedColumns, rollupDelta } from './derived';

/**
 * Projects dossier.* events into the dossiers' timeline rows and the daily rollups, in the
 * consumer's transaction. The events are logged, then each dossier they touch is folded again
 * from all its logged events, once however many of its events came: so events arriving out of
 * order, twice, or replayed give the same facts (an older version never overwrites a newer one),
 * and the rollups move by exactly the difference. Many events (a consumer's batch) cost the same
 * few statements as one: reads, rollup changes and rows are written for all at once.
 */
export async function applyDossierEvents(
  tx: Executor<KpiDb>,
  events: readonly { event: DossierEvent; schemaVersion: number }[],
  cal?: WorkingCalendar,
): Promise<void> {
  await takeDossierEventsFrom(tx, events, cal);
}

/**
 * applyDossierEvents for a consumer's batch: returns the ids of the events the event log did not
 * hold yet (the others were applied before: folding their dossiers again changed nothing).
 */
export async function takeDossierEventsFrom(
  tx: Executor<KpiDb>,
  events: readonly { event: DossierEvent; schemaVersion: number }[],
  cal?: WorkingCalendar,
): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const fresh = await takeDossierEvents(tx, events);
  await refoldDossiers(
    tx,
    events.map((e) => e.event.payload.dossierId),
    cal,
  );
  return fresh;
}

export async function applyDossierEvent(
  tx: Executor<KpiDb>,
  event: DossierEvent,
  schemaVersion: number,
  cal?: WorkingCalendar,
): Promise<void> {
  await applyDossierEvents(tx, [{ event, schemaVersion }], cal);
}

/** Folds a dossier again from its logged events (and complaints), moving the rollups by the difference. */
export async function refoldDossier(
  tx: Executor<KpiDb>,
  dossierId: string,
  cal?: WorkingCalendar,
): Promise<void> {
  await refoldDossiers(tx, [dossierId], cal);
}

/** Folds dossiers again (each locked by the caller), with every read and write made for all at once. */
export async function refoldDossiers(
  tx: Executor<KpiDb>,
  dossierIds: readonly string[],
  cal?: WorkingCalendar,
): Promise<void> {
  const ids = [...new Set(dossierIds)].sort();
  if (ids.length === 0) return;
  const inputs = await foldInputs(tx, ids);
  const delta = { received: [], ended: [], receivedLate: [], endedLate: [] } as ReturnType<
    typeof rollupDelta
  >;
  const saved: { timeline: DossierTimeline; before: DossierTimeline | null }[] = [];
  for (const id of ids) {
    const input = inputs.get(id);
    const before = input?.stored ?? null;
    const after = foldDossier(input?.events ?? [], input?.complaints ?? []);
    if (!after) continue;
    if (after.authorityLevel === null && after.procedureVersion !== null) {
      // A version-1 event did not carry the level: take the procedure version's, when known.
      after.authorityLevel = (await procedureLevel(
        tx,
        after.procedureCode,
        after.procedureVersion,
      )) as typeof after.authorityLevel;
    }
    const d = rollupDelta(before?.timeline ?? null, after, cal, before?.lateKept ?? true);
    delta.received.push(...d.received);
    delta.ended.push(...d.ended);
    delta.receivedLate.push(...d.receivedLate);
    delta.endedLate.push(...d.endedLate);
    saved.push({ timeline: after, before: before?.timeline ?? null });
  }
  await addToRollups(tx, 'received', delta.received);
  await addToRollups(tx, 'ended', delta.ended);
  await addToLateRollups(tx, 'received', delta.receivedLate);
  await addToLateRollups(tx, 'ended', delta.endedLate);
  await saveTimelines(
    tx,
    saved.map(({ timeline, before }) => ({
      timeline,
      derived: derivedColumns(timeline, cal),
      storedChildren: before ? timelineChildRows(before) : null,
    })),
  );
}
