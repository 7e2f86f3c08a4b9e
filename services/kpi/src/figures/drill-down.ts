import { addDays, vnDate, type WorkingCalendar } from '@tthc/calendar';
import type { Executor } from '@tthc/db';
import { decodeKeyset, encodeKeyset } from '@tthc/service-kit';
import { candidatePage, type CandidateSets } from '../db/dossier.repository';
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
import { ENDED_MEASURES, RECEIVED_MEASURES, type Measure } from '../domain/measures';
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

/** Where dossiers counted in these measures can be found (a narrow SQL filter before the definitions). */
function candidateSets(measures: readonly Measure[], span: Span): CandidateSets {
  const sets: CandidateSets = { openOn: [] };
  if (measures.some((m) => (RECEIVED_MEASURES as readonly string[]).includes(m))) sets.receivedIn = span;
  if (measures.some((m) => (ENDED_MEASURES as readonly string[]).includes(m))) sets.endedIn = span;
  if (measures.includes('carriedOver')) sets.openOn?.push(addDays(span.from, -1));
  if (
    measures.some((m) => ['inProgress', 'legalWithin', 'legalOverdue', 'indWithin', 'indOverdue'].includes(m))
  )
    sets.openOn?.push(span.to);
  return sets;
}

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

const BATCH = 500;

/**
 * The dossiers counted in the sum of some measures for a period (a cell of the table, a part of a
 * criterion), a page at a time in code order: candidates come from a narrow query, and each is
 * kept when the same definitions that made the figure count it. With disjoint measures (every
 * cell and part is made so), the pages together list exactly as many dossiers as the figure says.
 */
export async function drillDossiers(
  db: Executor<KpiDb>,
  req: {
    scope: Scope;
    span: Span;
    measures: readonly Measure[];
    where?: (t: DossierTimeline) => boolean;
    cursor?: string | undefined;
    limit: number;
  },
  cal?: WorkingCalendar,
): Promise<DrillPage> {
  const keyset = decodeKeyset(req.cursor, 2);
  let after = keyset ? { code: keyset[0] as string, id: keyset[1] as string } : undefined;
  const sets = candidateSets(req.measures, req.span);
  const items: DrillItem[] = [];
  for (;;) {
    const page = await candidatePage(db, req.scope, sets, after, BATCH);
    for (const t of page) {
      if (req.where && !req.where(t)) continue;
      const counters = dossierCounters(t, req.span, cal);
      const matched = req.measures.filter((m) => counters[m] > 0);
      if (matched.length === 0) continue;
      if (items.length === req.limit) {
        const last = items[items.length - 1];
        return {
          items,
          nextCursor: last ? encodeKeyset([last.code, String(last.detail['dossierId'])]) : null,
        };
      }
      items.push(itemOf(t, matched, req.span, cal));
    }
    const last = page[page.length - 1];
    if (page.length < BATCH || !last) return { items, nextCursor: null };
    after = { code: last.code, id: last.dossierId };
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
