import { vnDate, type WorkingCalendar } from '@tthc/calendar';
import type { DerivedColumns } from '../db/dossier.repository';
import { contributionsOf, openSpan } from '../domain/contributions';
import { endingOf } from '../domain/ending';
import { legalDueDate, outcomeOf, supplementRequestsBy } from '../domain/judgement';
import { multirangeLiteral, rangeLiteral, stockSpans } from '../domain/stock-spans';
import type { Contribution } from '../domain/contributions';
import type { EndedMeasure, ReceivedMeasure } from '../domain/measures';
import { lateChangesOf, type LateChange } from '../domain/late-changes';
import type { DossierTimeline } from '../domain/timeline';

/** Beyond every fact: "as of now" for the columns kept on the row. */
const EVER = new Date('9999-12-31T00:00:00Z');

/** The derived columns of a dossier's row, from its timeline. */
export function derivedColumns(t: DossierTimeline, cal?: WorkingCalendar): DerivedColumns {
  const end = endingOf(t);
  const stocks = stockSpans(t, cal);
  return {
    receivedDay: t.receivedAt ? vnDate(t.receivedAt) : null,
    endedAt: end?.at ?? null,
    endedDay: end ? vnDate(end.at) : null,
    endKind: end?.kind ?? null,
    legalOutcome: outcomeOf(t, 'legal', cal),
    indicatorOutcome: outcomeOf(t, 'indicator', cal),
    legalDueDate: t.receivedAt ? legalDueDate(t, EVER, cal) : null,
    supplementRequests: supplementRequestsBy(t, EVER),
    openSpan: openSpan(t),
    progressSpan: stocks.progress ? rangeLiteral(stocks.progress) : null,
    legalOverdueDays: multirangeLiteral(stocks.overdue.legal),
    indOverdueDays: multirangeLiteral(stocks.overdue.indicator),
    lateKept: true,
  };
}

type Row<M extends string> = Contribution<M>;

/**
 * What the rollups must change by when a dossier's timeline goes from `before` to `after`, and
 * the late rollups (domain/late-changes.ts) with them. A `before` whose late changes were not
 * kept (folded before they were) takes none away.
 */
export function rollupDelta(
  before: DossierTimeline | null,
  after: DossierTimeline | null,
  cal?: WorkingCalendar,
  beforeLateKept = true,
): {
  received: Row<ReceivedMeasure>[];
  ended: Row<EndedMeasure>[];
  receivedLate: LateChange<ReceivedMeasure>[];
  endedLate: LateChange<EndedMeasure>[];
} {
  const old = before ? contributionsOf(before, cal) : { received: [], ended: [] };
  const now = after ? contributionsOf(after, cal) : { received: [], ended: [] };
  const oldLate = before && beforeLateKept ? lateChangesOf(before, cal) : { received: [], ended: [] };
  const nowLate = after ? lateChangesOf(after, cal) : { received: [], ended: [] };
  return {
    received: net(old.received, now.received),
    ended: net(old.ended, now.ended),
    receivedLate: [...oldLate.received.map((r) => negated(r)), ...nowLate.received],
    endedLate: [...oldLate.ended.map((r) => negated(r)), ...nowLate.ended],
  };
}

function negated<R extends { measures: Partial<Record<string, number>> }>(r: R): R {
  return {
    ...r,
    measures: Object.fromEntries(Object.entries(r.measures).map(([m, v]) => [m, -(v ?? 0)])),
  };
}

function net<M extends string>(old: Row<M>[], now: Row<M>[]): Row<M>[] {
  const byKey = new Map<string, Row<M>>();
  const add = (r: Row<M>, sign: number) => {
    const key = [r.day, r.agencyCode, r.fieldCode, r.procedureCode, r.authorityLevel, r.channel].join('|');
    const acc: Row<M> = byKey.get(key) ?? { ...r, measures: {} };
    const sums = acc.measures as Record<string, number>;
    for (const [m, v] of Object.entries(r.measures) as [string, number][])
      sums[m] = (sums[m] ?? 0) + sign * v;
    byKey.set(key, acc);
  };
  old.forEach((r) => add(r, -1));
  now.forEach((r) => add(r, 1));
  return [...byKey.values()]
    .map((r) => ({
      ...r,
      measures: Object.fromEntries(
        Object.entries(r.measures).filter(([, v]) => v !== 0),
      ) as Row<M>['measures'],
    }))
    .filter((r) => Object.keys(r.measures).length > 0);
}
