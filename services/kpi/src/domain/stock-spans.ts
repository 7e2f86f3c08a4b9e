import { vnDate, type CivilDate, type WorkingCalendar } from '@tthc/calendar';
import { asOf, endOfVnDay } from './as-of';
import { endingOf } from './ending';
import { dueDateIn, inProgressAt, overdueAt, VIEWS, type View } from './judgement';
import type { DossierTimeline } from './timeline';
import { kpiCalendar } from './working-calendar';

/** Days from `from` (inclusive) to `until` (exclusive; null: with no end). */
export interface DaySpan {
  from: CivilDate;
  until: CivilDate | null;
}

/**
 * The days at whose end a dossier is in progress, and those at whose end it is in progress and
 * overdue in each view: the stocks of the statistics table (carried over, in progress, within
 * time, overdue) for any day, kept on the dossier's row so a period's stocks are one indexed count
 * instead of a judgement of every open dossier. They are the judgement functions (inProgressAt,
 * overdueAt) evaluated where they can change: a judgement at the end of day D reads the facts up
 * to D, so it changes only on a day with a fact or on a due date then in force; in between, and
 * after the last of those days, it stays as it was.
 */
export function stockSpans(
  t: DossierTimeline,
  cal: WorkingCalendar = kpiCalendar(),
): { progress: DaySpan | null; overdue: Record<View, DaySpan[]> } {
  if (t.receivedAt === null) return { progress: null, overdue: { legal: [], indicator: [] } };
  const first = vnDate(t.receivedAt);
  const end = endingOf(t);
  const progress: DaySpan = { from: first, until: end ? vnDate(end.at) : null };
  if (progress.until !== null && progress.until <= first)
    return { progress: null, overdue: { legal: [], indicator: [] } };

  // A judgement at the end of day D reads the facts up to D: it changes only on a day with a
  // fact (what is known changes) or on a due date then in force (the comparison flips).
  const factDays = new Set<CivilDate>([first]);
  for (const at of factInstants(t)) {
    const day = vnDate(at);
    if (day >= first) factDays.add(day);
  }
  const points = new Set(factDays);
  for (const day of factDays) {
    const instant = endOfVnDay(day);
    const then = asOf(t, instant);
    for (const view of VIEWS) {
      const due = dueDateIn(view, then, instant, cal);
      if (due !== null && due > day) points.add(due);
    }
  }
  const sorted = [...points].sort();
  const overdue: Record<View, DaySpan[]> = { legal: [], indicator: [] };
  for (const view of VIEWS) {
    const spans = overdue[view];
    for (const day of sorted) {
      const on = inProgressAt(t, day) && overdueAt(t, day, view, cal);
      const open = spans[spans.length - 1];
      if (on && !(open && open.until === null)) spans.push({ from: day, until: null });
      else if (!on && open && open.until === null) open.until = day;
    }
  }
  return { progress, overdue };
}

function factInstants(t: DossierTimeline): Date[] {
  const all: (Date | null)[] = [
    t.receivedAt,
    t.rescheduledAt,
    t.resolvedAt,
    t.returnedAt,
    t.withdrawnAt,
    t.stoppedAt,
    t.refusedAt,
    t.firstPaidAt,
    t.firstOnlinePaidAt,
    t.nationalSyncedAt,
    t.ratedAt,
    t.firstComplaintAt,
    ...t.dueChanges.map((c) => c.at),
    ...t.waits.flatMap((w) => [w.startedAt, w.endedAt]),
  ];
  return all.filter((d): d is Date => d !== null);
}

/** As Postgres reads a date range: [from,until), or [from,) with no end. */
export const rangeLiteral = (s: DaySpan): string => `[${s.from},${s.until ?? ''})`;

/** As Postgres reads a date multirange: {[a,b),[c,)}; {} when empty. */
export const multirangeLiteral = (spans: readonly DaySpan[]): string =>
  `{${spans.map(rangeLiteral).join(',')}}`;
