import { addDays, vnDate, type CivilDate, type WorkingCalendar } from '@tthc/calendar';
import { asOf, endOfVnDay } from './as-of';
import {
  contributionsOf,
  factInstants,
  openSpan,
  type Contribution,
  type Contributions,
} from './contributions';
import type { EndedMeasure, ReceivedMeasure } from './measures';
import type { DossierTimeline } from './timeline';

/** Beyond every day: the change a still-open dossier's row makes "once everything is known". */
export const NEVER_DAY = '9999-12-31';

/** A change of a rollup day's contribution made on a later day (when a later fact became known). */
export interface LateChange<M extends string> extends Contribution<M> {
  changedDay: CivilDate;
}

export interface LateChanges {
  received: LateChange<ReceivedMeasure>[];
  ended: LateChange<EndedMeasure>[];
}

type Row = Contribution<string>;
const rowKey = (r: Row) =>
  [r.day, r.agencyCode, r.fieldCode, r.procedureCode, r.authorityLevel, r.channel].join('|');

function asMap(rows: Row[]): Map<string, Row> {
  const m = new Map<string, Row>();
  for (const r of rows) m.set(rowKey(r), r);
  return m;
}

/** now − before, per rollup row and measure, with the zero changes left out. */
function difference<M extends string>(before: Row[], now: Row[], changedDay: CivilDate): LateChange<M>[] {
  const old = asMap(before);
  const out: LateChange<M>[] = [];
  const keys = new Set([...old.keys(), ...now.map(rowKey)]);
  const fresh = asMap(now);
  for (const key of keys) {
    const a = old.get(key);
    const b = fresh.get(key);
    const base = (b ?? a) as Row;
    const measures: Record<string, number> = {};
    for (const m of new Set([...Object.keys(a?.measures ?? {}), ...Object.keys(b?.measures ?? {})])) {
      const v =
        ((b?.measures as Record<string, number> | undefined)?.[m] ?? 0) -
        ((a?.measures as Record<string, number> | undefined)?.[m] ?? 0);
      if (v !== 0) measures[m] = v;
    }
    if (Object.keys(measures).length > 0)
      out.push({ ...base, measures: measures as Partial<Record<M, number>>, changedDay });
  }
  return out;
}

/**
 * What the rollups need to answer a period as of its end (issue 13, Speed). The rollups hold each
 * dossier's contributions with every fact known; a figure for a period ending on day D counts
 * what the dossier contributed as of the end of D (figures/period-figures.ts). That changes only
 * on the days of its facts, so it is kept as changes: on each day after a contribution's own day
 * on which it changed, by how much. A period [from, to] then reads the rollups over its days
 * minus the changes of those days made after `to`: an indexed sum, no timeline judged.
 *
 * The as-of state on a day D is the one the figures have always counted: the dossier read through
 * `asOf` at the end of D while D lies in its open span (received, and not past its last fact),
 * every fact known after it. So the changes sum, over all days, to the rollups' contribution.
 * Only changes made after the contribution's day are kept (those on its own day are never taken
 * back by a period that counts the day).
 */
export function lateChangesOf(t: DossierTimeline, cal?: WorkingCalendar): LateChanges {
  const out: LateChanges = { received: [], ended: [] };
  const span = openSpan(t);
  if (span === null) return out;
  const days = [...new Set(factInstants(t).map((d) => vnDate(d)))]
    .filter((d) => d >= span.from && (span.until === null || d <= span.until))
    .sort();
  const states: [CivilDate, Contributions][] = days.map((d) => [
    d,
    contributionsOf(asOf(t, endOfVnDay(d)), cal),
  ]);
  // Past the open span (or, while it is open, never): every fact known.
  states.push([span.until === null ? NEVER_DAY : addDays(span.until, 1), contributionsOf(t, cal)]);
  let before: Contributions = { received: [], ended: [] };
  for (const [day, now] of states) {
    for (const c of difference<ReceivedMeasure>(before.received, now.received, day))
      if (c.changedDay > c.day) out.received.push(c);
    for (const c of difference<EndedMeasure>(before.ended, now.ended, day))
      if (c.changedDay > c.day) out.ended.push(c);
    before = now;
  }
  return out;
}
