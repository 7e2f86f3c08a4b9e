import type { WorkingCalendar } from '@tthc/calendar';
import { withTransaction, type Db } from '@tthc/db';
import {
  dossierIdPage,
  dossiersOnDays,
  lateKeptAmong,
  lockDossier,
  markAllLateKept,
  receivedPage,
} from '../db/dossier.repository';
import { clearRollups, insertLateRows, insertRollupRows, lockRollups } from '../db/rollup.repository';
import type { KpiDb } from '../db/schema';
import { refillStockDeltas } from '../db/stock.repository';
import { accumulateContributions, contributionsOf, type Contribution } from '../domain/contributions';
import { lateChangesOf, type LateChange } from '../domain/late-changes';
import type { EndedMeasure, ReceivedMeasure } from '../domain/measures';
import { PROVINCE } from '../domain/scope';
import { refoldDossier } from './dossier.projector';

type Row = Contribution<ReceivedMeasure | EndedMeasure>;

const accumulate = accumulateContributions;

type LateRow = LateChange<ReceivedMeasure | EndedMeasure>;

/**
 * Rebuilds both daily rollups and their late changes (domain/late-changes.ts) from the dossier
 * facts, in one transaction that holds the consumers' rollup updates off until it commits, so no
 * event is counted twice or lost; the stocks' changes (db/stock.repository.ts) with them. Also the backfill of the late changes after their migration
 * (202612010204): every dossier is marked as having them kept.
 */
export async function rebuildRollups(
  db: Db<KpiDb>,
  cal?: WorkingCalendar,
): Promise<{ dossiers: number; rows: number }> {
  return withTransaction(db, async (tx) => {
    await lockRollups(tx);
    await clearRollups(tx);
    const received = new Map<string, Row>();
    const ended = new Map<string, Row>();
    const receivedLate = new Map<string, LateRow>();
    const endedLate = new Map<string, LateRow>();
    let dossiers = 0;
    for (let after: string | undefined; ;) {
      const page = await receivedPage(tx, PROVINCE, { limit: 2000, ...(after ? { after } : {}) });
      for (const t of page) {
        const c = contributionsOf(t, cal);
        accumulate(received, c.received);
        accumulate(ended, c.ended);
        const late = lateChangesOf(t, cal);
        accumulate(receivedLate, late.received);
        accumulate(endedLate, late.ended);
      }
      dossiers += page.length;
      if (page.length < 2000) break;
      after = page[page.length - 1]?.dossierId;
    }
    await insertRollupRows(tx, 'received', [...received.values()]);
    await insertRollupRows(tx, 'ended', [...ended.values()]);
    await insertLateRows(tx, 'received', [...receivedLate.values()]);
    await insertLateRows(tx, 'ended', [...endedLate.values()]);
    await markAllLateKept(tx);
    await refillStockDeltas(tx);
    return { dossiers, rows: received.size + ended.size };
  });
}

/**
 * Rebuilds the rollups of some days from the facts (after a repair: a fact lost or deleted
 * behind the consumers' back leaves its days' rollups unlike its facts until they are rebuilt).
 */
export async function rebuildRollupDays(
  db: Db<KpiDb>,
  days: readonly string[],
  cal?: WorkingCalendar,
): Promise<void> {
  if (days.length === 0) return;
  const wanted = new Set(days);
  await withTransaction(db, async (tx) => {
    await lockRollups(tx);
    await clearRollups(tx, days);
    const received = new Map<string, Row>();
    const ended = new Map<string, Row>();
    const receivedLate = new Map<string, LateRow>();
    const endedLate = new Map<string, LateRow>();
    const timelines = await dossiersOnDays(tx, days);
    const kept = await lateKeptAmong(
      tx,
      timelines.map((t) => t.dossierId),
    );
    for (const t of timelines) {
      if (kept.has(t.dossierId)) {
        const late = lateChangesOf(t, cal);
        accumulate(
          receivedLate,
          late.received.filter((r) => wanted.has(r.day)),
        );
        accumulate(
          endedLate,
          late.ended.filter((r) => wanted.has(r.day)),
        );
      }
      const c = contributionsOf(t, cal);
      accumulate(
        received,
        c.received.filter((r) => wanted.has(r.day)),
      );
      accumulate(
        ended,
        c.ended.filter((r) => wanted.has(r.day)),
      );
    }
    await insertRollupRows(tx, 'received', [...received.values()]);
    await insertRollupRows(tx, 'ended', [...ended.values()]);
    await insertLateRows(tx, 'received', [...receivedLate.values()]);
    await insertLateRows(tx, 'ended', [...endedLate.values()]);
  });
}

/** Folds every dossier again from its logged events (after a change of the folding rules), one transaction each. */
export async function refoldAll(db: Db<KpiDb>, cal?: WorkingCalendar): Promise<number> {
  let count = 0;
  for (let after: string | null = null; ;) {
    const ids = await dossierIdPage(db, after, 1000);
    for (const id of ids) {
      await withTransaction(db, async (tx) => {
        await lockDossier(tx, id);
        await refoldDossier(tx, id, cal);
      });
    }
    count += ids.length;
    if (ids.length < 1000) return count;
    after = ids[ids.length - 1] ?? null;
  }
}
