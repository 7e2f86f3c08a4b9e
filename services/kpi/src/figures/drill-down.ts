import { addDays, vnDate, type WorkingCalendar } from '@tthc/calendar';
import type { Executor } from '@tthc/db';
import { decodeKeyset, encodeKeyset } from '@tthc/service-kit';
import { sql, type RawBuilder } from 'kysely';
import { candidatePage, type RowDims } from '../db/dossier.repository';
import type { KpiDb } from '../db/schema';
import { asOf, endOfVnDay } from '../domain/as-of';
import { dimsOf } from '../domain/contributions';
import { endingOf } from '../domain/ending';
import {
  indicatorDueDate,
  isWaitingAt,
  legalDueDate,
  outcomeOf,
  supplementRequestsBy,
} from '../domain/judgement';
import { ENDED_MEASURES, type Measure } from '../domain/measures';
import type { Scope } from '../domain/scope';
import type { DossierTimeline } from '../domain/timeline';
import { dossierCounters, type Span } from './period-figures';

export interface DrillItem {
  code: string;
  /** Orders the list and keys its cursor (the code, and the version of a procedure). */
  key?: string;
  kind: 'dossier' | 'procedure' | 'feedback';
  fact: string;
  detail: Record<string, unknown>;
}

export interface DrillPage {
  items: DrillItem[];
  nextCursor: string | null;
}

const day = (d: Date | null) => (d ? vnDate(d) : null);

/** The dossier has a fact after the day (its open span runs past it): its stored verdicts may not be the day's. */
const factAfter = (to: string) => sql<boolean>`(upper_inf(open_span) or upper(open_span) > ${to}::date + 1)`;

/**
 * Where dossiers counted in a measure can be found: a filter on the row's stored columns that
 * holds for every dossier the measure counts in the period (the definitions then judge each one).
 * Received-side measures: received in the period (by channel when the measure is). Ended-side:
 * ended in it, with the stored kind or verdict unless a later fact may have changed it. Stocks:
 * the stock spans, as the period's figures count them (a dossier not judged yet always qualifies).
 */
function candidateFilter(m: Measure, span: Span): RawBuilder<boolean> {
  const { from, to } = span;
  const receivedIn = sql<boolean>`received_day between ${from}::date and ${to}::date`;
  const endedIn = sql<boolean>`ended_day between ${from}::date and ${to}::date`;
  const ended = (stored: RawBuilder<boolean>) =>
    sql<boolean>`(${endedIn} and (${stored} or ${factAfter(to)}))`;
  const result = sql<boolean>`end_kind in ('resolved', 'returned')`;
  // Overdue days lie in the progress span (domain/stock-spans.ts): an overdue dossier is found by
  // its overdue days alone (the partial index over those ever overdue), one not judged yet by its
  // progress span; within time is the rest of the progress span.
  const overdue = (column: 'legal_overdue_days' | 'ind_overdue_days', yes: boolean) => {
    const days = sql.ref(column);
    const unjudged = sql<boolean>`(${days} is null and progress_span @> ${to}::date)`;
    return yes
      ? sql<boolean>`((${days} <> '{}'::datemultirange and ${days} @> ${to}::date) or ${unjudged})`
      : sql<boolean>`(progress_span @> ${to}::date and (${days} is null or not ${days} @> ${to}::date))`;
  };
  switch (m) {
    case 'receivedOnline':
      return sql<boolean>`(${receivedIn} and channel = 'online')`;
    case 'receivedDirectPostal':
      return sql<boolean>`(${receivedIn} and channel <> 'online')`;
    case 'ended':
      return endedIn;
    case 'resolved':
    case 'eResult':
    case 'resultDigitized':
    case 'dissatisfied':
    case 'satisfied':
      return ended(result);
    case 'legalEarly':
      return ended(sql`legal_outcome = 'early'`);
    case 'legalOnTime':
      return ended(sql`legal_outcome = 'on_time'`);
    case 'legalLate':
      return ended(sql`legal_outcome = 'late'`);
    case 'indEarly':
      return ended(sql`indicator_outcome = 'early'`);
    case 'indOnTime':
      return ended(sql`indicator_outcome = 'on_time'`);
    case 'indLate':
      return ended(sql`indicator_outcome = 'late'`);
    case 'carriedOver':
      return sql<boolean>`progress_span @> ${addDays(from, -1)}::date`;
    case 'inProgress':
      return sql<boolean>`progress_span @> ${to}::date`;
    case 'legalOverdue':
      return overdue('legal_overdue_days', true);
    case 'legalWithin':
      return overdue('legal_overdue_days', false);
    case 'indOverdue':
      return overdue('ind_overdue_days', true);
    case 'indWithin':
      return overdue('ind_overdue_days', false);
    case 'received':
    case 'feeBearing':
    case 'paidOnline':
    case 'digitized':
    case 'reused':
    case 'citizenStore':
    case 'populationKnown':
    case 'populationUsed':
    case 'syncedNational':
      return receivedIn;
  }
}

const candidateFilters = (measures: readonly Measure[], span: Span): RawBuilder<boolean> =>
  measures.length === 0
    ? sql<boolean>`false`
    : sql<boolean>`(${sql.join(
        measures.map((m) => candidateFilter(m, span)),
        sql` or `,
      )})`;

/** Measures whose candidates the overdue-days indexes find (a few thousand in a province-year). */
const OVERDUE_STOCKS: readonly Measure[] = ['legalOverdue', 'indOverdue'];
const STOCK: readonly Measure[] = ['inProgress', 'legalWithin', 'legalOverdue', 'indWithin', 'indOverdue'];
const INDICATOR_VIEW: readonly Measure[] = [
  'indEarly',
  'indOnTime',
  'indLate',
  'indWithin',
  'indOverdue',
  'dissatisfied',
  'satisfied',
];

/** What a received-side counter says of a dossier. */
const RECEIPT_FACTS: Partial<Record<Measure, (t: DossierTimeline, then: DossierTimeline) => string>> = {
  paidOnline: (_t, then) => `, paid online ${day(then.firstOnlinePaidAt)}`,
  feeBearing: (t) => `, fees due ${t.feesDue ?? 0} đồng`,
  digitized: (t) => `, ${t.components?.digitized}/${t.components?.total} components and the result digitized`,
  reused: (t) => `, ${t.components?.reused} component(s) reused`,
  citizenStore: (t) => `, ${t.components?.fromCitizenStore} component(s) from the citizen's data store`,
  populationUsed: () => ', identity from the population database',
  syncedNational: (_t, then) => `, on the national portal ${day(then.nationalSyncedAt)}`,
  populationKnown: (t) => `, population data ${t.populationDataUsed ? 'used' : 'not used'}`,
};

/** What put a dossier in the cell, in words with its dates. */
function factOf(t: DossierTimeline, m: Measure, span: Span, cal?: WorkingCalendar): string {
  const at = endOfVnDay(span.to);
  const then = asOf(t, at);
  const view = INDICATOR_VIEW.includes(m) ? 'indicator' : 'legal';
  if (m === 'carriedOver')
    return `received ${day(t.receivedAt)}, before the period, and not ended before ${span.from}`;
  if (STOCK.includes(m)) {
    const due = view === 'legal' ? legalDueDate(then, at, cal) : indicatorDueDate(then, at, cal);
    const waiting = isWaitingAt(then, at) ? ', waiting for the applicant' : '';
    const verdict = m === 'inProgress' ? '' : m.endsWith('Overdue') ? ': overdue' : ': within time';
    return `in progress at the end of ${span.to}, due ${due ?? 'unknown'} (${view})${waiting}${verdict}`;
  }
  const end = endingOf(then);
  if ((ENDED_MEASURES as readonly string[]).includes(m) && end) {
    const due = view === 'legal' ? legalDueDate(then, end.at, cal) : indicatorDueDate(then, end.at, cal);
    const why =
      m === 'dissatisfied'
        ? `: ${[then.rating === 'not_satisfied' ? 'rated not satisfied' : '', then.firstComplaintAt ? `complained about ${day(then.firstComplaintAt)}` : '', outcomeOf(then, 'indicator', cal) === 'late' ? 'late' : ''].filter(Boolean).join(', ')}`
        : m === 'eResult'
          ? ', with an e-result'
          : '';
    return `${end.kind} ${day(end.at)}, due ${due ?? 'unknown'} (${view}): ${outcomeOf(then, view, cal)}${why}`;
  }
  return `received ${t.channel} ${day(t.receivedAt)}${RECEIPT_FACTS[m]?.(t, then) ?? ''}`;
}

function itemOf(t: DossierTimeline, matched: Measure[], span: Span, cal?: WorkingCalendar): DrillItem {
  const then = asOf(t, endOfVnDay(span.to));
  const end = endingOf(then);
  return {
    code: t.code,
    kind: 'dossier',
    fact: matched.map((m) => factOf(t, m, span, cal)).join('; '),
    detail: {
      dossierId: t.dossierId,
      receivedDay: day(t.receivedAt),
      measures: matched,
      ...dimsOf(t),
      receivedAt: t.receivedAt?.toISOString() ?? null,
      endedAt: end?.at.toISOString() ?? null,
      endKind: end?.kind ?? null,
      legalOutcome: outcomeOf(then, 'legal', cal),
      indicatorOutcome: outcomeOf(then, 'indicator', cal),
      supplementRequests: supplementRequestsBy(then, endOfVnDay(span.to)),
    },
  };
}

/** Candidates read at a time: a page's worth first (most candidates count), more when they do not. */
const FIRST_BATCH = 8;
const MAX_BATCH = 1000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The dossiers counted in the sum of some measures for a period (a cell of the table, a part of a
 * criterion), a page at a time in order of receipt (day, code): candidates come from a narrow
 * query on the rows' stored columns (candidateFilter) in key order, and each is kept when the
 * same definitions that made the figure count it; reading stops as soon as the page is full.
 * With disjoint measures (every cell and part is made so), the pages together list exactly as
 * many dossiers as the figure says.
 */
export async function drillDossiers(
  db: Executor<KpiDb>,
  req: {
    scope: Scope;
    span: Span;
    measures: readonly Measure[];
    /** A row of the statistics table: its dimensions (the filter is also applied in SQL). */
    dims?: RowDims;
    where?: (t: DossierTimeline) => boolean;
    cursor?: string | undefined;
    limit: number;
  },
  cal?: WorkingCalendar,
): Promise<DrillPage> {
  const keyset = decodeKeyset(req.cursor, 3, ([d, , id]) => DAY.test(d ?? '') && UUID.test(id ?? ''));
  let after = keyset
    ? { receivedDay: keyset[0] as string, code: keyset[1] as string, id: keyset[2] as string }
    : undefined;
  const where = candidateFilters(req.measures, req.span);
  const fenced = req.measures.every((m) => OVERDUE_STOCKS.includes(m));
  const items: DrillItem[] = [];
  let batch = Math.min(MAX_BATCH, req.limit + FIRST_BATCH);
  for (;;) {
    const page = await candidatePage(db, req.scope, req.dims ?? {}, where, after, batch, fenced);
    for (const t of page) {
      if (req.where && !req.where(t)) continue;
      const counters = dossierCounters(t, req.span, cal);
      const matched = req.measures.filter((m) => counters[m] > 0);
      if (matched.length === 0) continue;
      if (items.length === req.limit) {
        const last = items[items.length - 1];
        return {
          items,
          nextCursor: last
            ? encodeKeyset([String(last.detail['receivedDay']), last.code, String(last.detail['dossierId'])])
            : null,
        };
      }
      items.push(itemOf(t, matched, req.span, cal));
    }
    const last = page[page.length - 1];
    if (page.length < batch || !last) return { items, nextCursor: null };
    after = { receivedDay: vnDate(last.receivedAt as Date), code: last.code, id: last.dossierId };
    batch = Math.min(MAX_BATCH, batch * 4);
  }
}

/** A page of a sorted list of procedures or feedback (the other members a criterion counts). */
export function drillList(all: DrillItem[], cursor: string | undefined, limit: number): DrillPage {
  const keyset = decodeKeyset(cursor, 1);
  const keyOf = (i: DrillItem) => i.key ?? i.code;
  const sorted = [...all].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const rest = keyset ? sorted.filter((i) => keyOf(i) > (keyset[0] as string)) : sorted;
  const items = rest.slice(0, limit).map(({ key: _key, ...i }) => i);
  const last = rest[Math.min(limit, rest.length) - 1];
  return { items, nextCursor: rest.length > limit && last ? encodeKeyset([keyOf(last)]) : null };
}
