import { vnDate, type CivilDate, type WorkingCalendar } from '@tthc/calendar';
import type { Channel } from '@tthc/contracts';
import { endingOf } from './ending';
import { outcomeOf } from './judgement';
import type { EndedMeasure, ReceivedMeasure } from './measures';
import type { DossierTimeline } from './timeline';
import { kpiCalendar } from './working-calendar';

/** The dimensions every rollup row and figure group is keyed by. */
export interface Dims {
  agencyCode: string;
  fieldCode: string;
  procedureCode: string;
  /** province, district, commune, or unknown (an event of version 1 and no procedure fact). */
  authorityLevel: string;
  channel: Channel;
}

export interface Contribution<M extends string> extends Dims {
  day: CivilDate;
  measures: Partial<Record<M, number>>;
}

export interface Contributions {
  received: Contribution<ReceivedMeasure>[];
  ended: Contribution<EndedMeasure>[];
}

export const dimsOf = (t: DossierTimeline): Dims => ({
  agencyCode: t.agencyCode,
  fieldCode: t.fieldCode,
  procedureCode: t.procedureCode,
  authorityLevel: t.authorityLevel ?? 'unknown',
  channel: t.channel,
});

/** A dossier owes fees when some are due on it, or its procedure is fee-bearing. */
export function isFeeBearing(t: DossierTimeline): boolean {
  return (t.feesDue ?? 0) > 0 || t.feeBearing === true;
}

/** Every component digitized at receipt and the result digitized at resolution. */
export function isFullyDigitized(t: DossierTimeline): boolean {
  const c = t.components;
  return c !== null && c.total > 0 && c.digitized >= c.total && t.resultDigitized === true;
}

const one = (b: boolean) => (b ? 1 : 0);

/**
 * What one dossier adds to the daily rollups, given the facts in its timeline: on the day it was
 * received, and on the day it ended. Read through `asOf`, the same function gives what it added
 * as of a past instant; rollups hold it for every fact known (figures/period-figures.ts corrects
 * for facts after a period's end). Definitions of each counter live here and nowhere else.
 */
export function contributionsOf(t: DossierTimeline, cal: WorkingCalendar = kpiCalendar()): Contributions {
  const out: Contributions = { received: [], ended: [] };
  if (t.receivedAt === null) return out;
  const dims = dimsOf(t);
  const feeBearing = isFeeBearing(t);
  const comps = t.components;
  out.received.push({
    ...dims,
    day: vnDate(t.receivedAt),
    measures: {
      received: 1,
      // Postal counts with direct (Biểu 06: "trực tiếp, bưu chính").
      receivedOnline: one(t.channel === 'online'),
      receivedDirectPostal: one(t.channel !== 'online'),
      feeBearing: one(feeBearing),
      paidOnline: one(feeBearing && t.firstOnlinePaidAt !== null),
      digitized: one(isFullyDigitized(t)),
      reused: one((comps?.reused ?? 0) > 0),
      citizenStore: one((comps?.fromCitizenStore ?? 0) > 0),
      populationKnown: one(t.populationDataUsed !== null),
      populationUsed: one(t.populationDataUsed === true),
      // Synced: its receipt reached the national portal (766, nhóm 1 chỉ số 4: synced / received).
      syncedNational: one(t.nationalSyncedAt !== null),
    },
  });
  const end = endingOf(t);
  if (end) {
    const legal = outcomeOf(t, 'legal', cal);
    const indicator = outcomeOf(t, 'indicator', cal);
    const resolved = end.kind === 'resolved' || end.kind === 'returned';
    // Satisfaction with dossier handling (766): rated not satisfied, complained about, or late.
    const dissatisfied = t.rating === 'not_satisfied' || t.firstComplaintAt !== null || indicator === 'late';
    out.ended.push({
      ...dims,
      day: vnDate(end.at),
      measures: {
        ended: 1,
        resolved: one(resolved),
        legalEarly: one(legal === 'early'),
        legalOnTime: one(legal === 'on_time'),
        legalLate: one(legal === 'late'),
        indEarly: one(indicator === 'early'),
        indOnTime: one(indicator === 'on_time'),
        indLate: one(indicator === 'late'),
        eResult: one(resolved && t.eResult === true),
        resultDigitized: one(resolved && t.resultDigitized === true),
        dissatisfied: one(resolved && dissatisfied),
        satisfied: one(resolved && !dissatisfied),
      },
    });
  }
  return out;
}

/**
 * The span of days in which a figure about this dossier may still change: from its receipt to
 * the day of its last fact (open while it has not ended). A period ending inside it must read the
 * dossier's timeline; outside it, the rollups alone are exact.
 */
export function openSpan(t: DossierTimeline): { from: CivilDate; until: CivilDate | null } | null {
  if (t.receivedAt === null) return null;
  if (endingOf(t) === null) return { from: vnDate(t.receivedAt), until: null };
  const last = factInstants(t).reduce((a, b) => (b > a ? b : a));
  return { from: vnDate(t.receivedAt), until: vnDate(last) };
}

/** Every instant at which something a figure counts happened to the dossier. */
export function factInstants(t: DossierTimeline): Date[] {
  return [
    t.receivedAt,
    t.resolvedAt,
    t.returnedAt,
    t.withdrawnAt,
    t.stoppedAt,
    t.firstPaidAt,
    t.firstOnlinePaidAt,
    t.nationalSyncedAt,
    t.ratedAt,
    t.firstComplaintAt,
    t.rescheduledAt,
    ...t.dueChanges.map((c) => c.at),
    ...t.waits.flatMap((w) => [w.startedAt, w.endedAt]),
  ].filter((d): d is Date => d !== null);
}

/**
 * Adds contribution rows into daily aggregates keyed by their dimensions (and, for late changes,
 * the day of the change), summing each measure.
 */
export function accumulateContributions<R extends Contribution<string> & { changedDay?: string }>(
  into: Map<string, R>,
  rows: readonly R[],
): void {
  for (const r of rows) {
    const key = [
      r.day,
      r.changedDay,
      r.agencyCode,
      r.fieldCode,
      r.procedureCode,
      r.authorityLevel,
      r.channel,
    ].join('|');
    const acc = into.get(key) ?? { ...r, measures: {} };
    const sums = acc.measures as Record<string, number>;
    for (const [m, v] of Object.entries(r.measures) as [string, number][]) sums[m] = (sums[m] ?? 0) + v;
    into.set(key, acc);
  }
}
