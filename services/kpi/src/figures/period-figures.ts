import { addDays, type WorkingCalendar } from '@tthc/calendar';
import type { Executor } from '@tthc/db';
import { openOn, receivedPage, unjudgedOnDays } from '../db/dossier.repository';
import { stocksOnDays } from '../db/stock.repository';
import { sumRollup, sumRollupAsOfEnd } from '../db/rollup.repository';
import type { KpiDb } from '../db/schema';
import { asOf, endOfVnDay } from '../domain/as-of';
import { contributionsOf, dimsOf, type Contributions } from '../domain/contributions';
import { inProgressAt, overdueAt } from '../domain/judgement';
import type { Scope } from '../domain/scope';
import type { DossierTimeline } from '../domain/timeline';
import { ENDED_MEASURES, RECEIVED_MEASURES, sumBags, type Bag, type Measure } from '../domain/measures';
import { Groups } from './groups';

export interface Span {
  from: string;
  to: string;
}

function addContributions(groups: Groups, c: Contributions, span: Span, sign: number): void {
  for (const r of [...c.received, ...c.ended])
    if (r.day >= span.from && r.day <= span.to) groups.add(r, r.measures, sign);
}

/** Carried over: in progress at the end of the day before the period (received before it, not ended before its first day). */
function addCarriedOver(groups: Groups, t: DossierTimeline, span: Span): void {
  if (inProgressAt(t, addDays(span.from, -1))) groups.add(dimsOf(t), { carriedOver: 1 });
}

/** In progress at the end of the period's last day, judged then in both views. */
function addInProgress(
  groups: Groups,
  t: DossierTimeline,
  span: Span,
  cal: WorkingCalendar | undefined,
): void {
  if (!inProgressAt(t, span.to)) return;
  const legal = overdueAt(t, span.to, 'legal', cal);
  const indicator = overdueAt(t, span.to, 'indicator', cal);
  groups.add(dimsOf(t), {
    inProgress: 1,
    legalOverdue: legal ? 1 : 0,
    legalWithin: legal ? 0 : 1,
    indOverdue: indicator ? 1 : 0,
    indWithin: indicator ? 0 : 1,
  });
}

export interface PeriodFigureOptions {
  /**
   * Count every counter as of the period's end (default). The statistics table's columns (receipts,
   * endings and their verdicts, stocks) never depend on a fact after the period, so it skips this.
   */
  asOfCorrections?: boolean;
  /**
   * Only these counters are wanted (a drill-down's cell): the sources no one of them is made of
   * are not read, so the other counters of the answer are incomplete. Default: every counter.
   */
  measures?: readonly Measure[];
}

/**
 * The counters of a period, per group, from the daily rollups, the stocks kept on the dossiers'
 * rows and a narrow timeline query. The rollups hold every dossier's contributions with all facts
 * known; the only dossiers whose contributions to a period ending on day D differ from that are
 * those with a fact after D (the open span contains D), so their contributions are taken back and
 * counted again as of the end of D: from the late changes kept for them (domain/late-changes.ts), an
 * indexed sum, or from the timeline of a dossier folded before those were kept. The stocks (carried
 * over: in progress at the end of the day before the period; in progress at its last day, within
 * time or overdue) are sums of the daily changes of the dossiers' stock spans
 * (domain/stock-spans.ts, db/stock.repository.ts), and judged from the timeline for a dossier
 * folded before those were kept.
 */
export async function periodFigures(
  db: Executor<KpiDb>,
  scope: Scope,
  span: Span,
  cal?: WorkingCalendar,
  options: PeriodFigureOptions = {},
): Promise<Groups> {
  const groups = new Groups();
  const before = addDays(span.from, -1);
  const wanted = (list: readonly Measure[]) =>
    options.measures === undefined || options.measures.some((m) => list.includes(m));
  const receivedSide = wanted(RECEIVED_MEASURES);
  const endedSide = wanted(ENDED_MEASURES);
  const atEnd = wanted(['inProgress', 'legalWithin', 'legalOverdue', 'indWithin', 'indOverdue']);
  const carried = wanted(['carriedOver']);
  const corrected = options.asOfCorrections !== false && (receivedSide || endedSide);
  const none = Promise.resolve([]);
  const stockDays = [...(atEnd ? [span.to] : []), ...(carried ? [before] : [])];
  const [received, ended, stocks, unjudged, openAtEnd] = await Promise.all([
    !receivedSide
      ? none
      : corrected
        ? sumRollupAsOfEnd(db, 'received', scope, span.from, span.to)
        : sumRollup(db, 'received', scope, span.from, span.to),
    !endedSide
      ? none
      : corrected
        ? sumRollupAsOfEnd(db, 'ended', scope, span.from, span.to)
        : sumRollup(db, 'ended', scope, span.from, span.to),
    stocksOnDays(db, scope, stockDays),
    unjudgedOnDays(db, scope, stockDays),
    corrected ? openOn(db, scope, span.to) : Promise.resolve([]),
  ]);
  // As of the period's end: the changes to its days made after it are taken away in the sums
  // (domain/late-changes.ts).
  for (const r of [...received, ...ended]) groups.add(r, r.measures);
  const endOfPeriod = endOfVnDay(span.to);
  // Dossiers whose late changes are not kept yet (folded before they were): from their timelines.
  for (const t of openAtEnd) {
    addContributions(groups, contributionsOf(t, cal), span, -1);
    addContributions(groups, contributionsOf(asOf(t, endOfPeriod), cal), span, 1);
  }
  const stocksAtEnd = atEnd ? (stocks.get(span.to) ?? []) : [];
  const stocksBefore = carried ? (stocks.get(before) ?? []) : [];
  for (const s of stocksAtEnd)
    groups.add(s, {
      inProgress: s.inProgress,
      legalOverdue: s.legalOverdue,
      legalWithin: s.inProgress - s.legalOverdue,
      indOverdue: s.indOverdue,
      indWithin: s.inProgress - s.indOverdue,
    });
  for (const s of stocksBefore) groups.add(s, { carriedOver: s.inProgress });
  // Each judged again for the day it is asked about (in progress then or not).
  for (const t of unjudged) {
    if (atEnd) addInProgress(groups, t, span, cal);
    if (carried) addCarriedOver(groups, t, span);
  }
  return groups;
}

/** Where a figure's counters come from: the rollups (periodFigures) or every timeline (directFigures). */
export type FigureSource = (
  db: Executor<KpiDb>,
  scope: Scope,
  span: Span,
  cal?: WorkingCalendar,
  options?: PeriodFigureOptions,
) => Promise<Groups>;

/** What one dossier counts for in a period: the definitions applied to it alone (direct figures, drill-downs). */
export function dossierCounters(t: DossierTimeline, span: Span, cal?: WorkingCalendar): Bag {
  const groups = new Groups();
  addContributions(groups, contributionsOf(asOf(t, endOfVnDay(span.to)), cal), span, 1);
  addCarriedOver(groups, t, span);
  addInProgress(groups, t, span, cal);
  return sumBags(groups.byKey.values());
}

/**
 * The same counters computed directly from every dossier's timeline, the definitions applied one
 * dossier at a time: the reference the rollups are checked against (tests, benchmark).
 */
export async function directFigures(
  db: Executor<KpiDb>,
  scope: Scope,
  span: Span,
  cal?: WorkingCalendar,
): Promise<Groups> {
  const groups = new Groups();
  for (let after: string | undefined; ;) {
    const page = await receivedPage(db, scope, { upTo: span.to, limit: 2000, ...(after ? { after } : {}) });
    for (const t of page) groups.add(dimsOf(t), dossierCounters(t, span, cal));
    if (page.length < 2000) break;
    after = page[page.length - 1]?.dossierId;
  }
  return groups;
}
