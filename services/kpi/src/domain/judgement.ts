import {
  isOverdueAt,
  timeliness,
  vnDate,
  vnInstant,
  type CivilDate,
  type WorkingCalendar,
} from '@tthc/calendar';
import { asOf, endOfVnDay } from './as-of';
import { endedWithoutResult, endingOf } from './ending';
import type { DossierTimeline, Wait } from './timeline';
import { kpiCalendar } from './working-calendar';

/**
 * How timeliness is judged (domain.md, Timeliness and Indicators). Two views of the same facts:
 *  - legal: the Biểu 06 statistics (Thông tư 01/2020/TT-VPCP). Judged against the legal due date
 *    in force, as intake states it on its events: set at receipt, restarted or moved when a wait
 *    for the applicant ends (Nghị định 61/2018 Art. 19.4, and the rule set's paymentWait), never
 *    the rescheduled one (Art. 19.9: a rescheduled dossier is still late against its date). For
 *    older events that did not state it, the payment waits' working days are added here.
 *  - indicator: Quyết định 766/QĐ-TTg as the national portal computes it. The due date at
 *    receipt plus the working days of every wait (supplement and payment), and a dossier with
 *    more than one supplement request counts as late.
 * Withdrawn and stopped dossiers are on time in both views; a dossier waiting for the applicant
 * is within time. Dates are civil dates in Asia/Ho_Chi_Minh (rules in @tthc/calendar).
 */
export type View = 'legal' | 'indicator';
export type Outcome = 'early' | 'on_time' | 'late';
export const VIEWS: readonly View[] = ['legal', 'indicator'];

/** The applicant had still to act at this instant (a wait begun and not answered). */
export function isWaitingAt(t: DossierTimeline, instant: Date): boolean {
  return t.waits.some((w) => w.startedAt <= instant && (w.endedAt === null || w.endedAt > instant));
}

/** Supplement requests made by an instant. */
export function supplementRequestsBy(t: DossierTimeline, instant: Date): number {
  return t.waits.filter((w) => w.kind === 'supplement' && w.startedAt <= instant).length;
}

/** Working days a finished wait lasted: after the day it began, up to the day it ended. */
function waitDays(cal: WorkingCalendar, w: Wait): number {
  return w.endedAt === null ? 0 : Math.max(0, cal.countWorkingDays(w.startedAt, w.endedAt));
}

function shifted(cal: WorkingCalendar, due: Date, waits: readonly Wait[]): CivilDate {
  const days = waits.reduce((sum, w) => sum + waitDays(cal, w), 0);
  return cal.addWorkingDays(vnDate(due), days);
}

/** The legal due date in force at an instant (see the legal view above). */
export function legalDueDate(
  t: DossierTimeline,
  instant: Date,
  cal: WorkingCalendar = kpiCalendar(),
): CivilDate | null {
  let legal: Date | null = null;
  let since: Date | null = null;
  for (const c of t.dueChanges) {
    if (c.at > instant || c.legalDueAt === null) continue;
    if (legal === null || legal.getTime() !== c.legalDueAt.getTime()) {
      legal = c.legalDueAt;
      since = c.at;
    }
  }
  if (legal === null || since === null) return null;
  if (t.legalClock) return vnDate(legal);
  const from = since;
  const paid = t.waits.filter(
    (w) => w.kind === 'payment' && w.startedAt >= from && w.endedAt !== null && w.endedAt <= instant,
  );
  return shifted(cal, legal, paid);
}

/** The indicator view's due date at an instant: the receipt's due date plus the waits ended by then. */
export function indicatorDueDate(
  t: DossierTimeline,
  instant: Date,
  cal: WorkingCalendar = kpiCalendar(),
): CivilDate | null {
  if (t.receiptDueAt === null) return null;
  return shifted(
    cal,
    t.receiptDueAt,
    t.waits.filter((w) => w.endedAt !== null && w.endedAt <= instant),
  );
}

export function dueDateIn(
  view: View,
  t: DossierTimeline,
  instant: Date,
  cal: WorkingCalendar = kpiCalendar(),
): CivilDate | null {
  return view === 'legal' ? legalDueDate(t, instant, cal) : indicatorDueDate(t, instant, cal);
}

/** Noon of a civil date: an instant on that date, for the calendar's date comparisons. */
const onDate = (day: CivilDate) => vnInstant(day, '12:00');

/** Early, on time or late for an ended dossier in a view; null while it has not ended. */
export function outcomeOf(
  t: DossierTimeline,
  view: View,
  cal: WorkingCalendar = kpiCalendar(),
): Outcome | null {
  const end = endingOf(t);
  if (!end) return null;
  if (endedWithoutResult(end.kind)) return 'on_time';
  if (view === 'indicator' && supplementRequestsBy(t, end.at) > 1) return 'late';
  const due = dueDateIn(view, t, end.at, cal);
  return due === null ? 'on_time' : timeliness(end.at, onDate(due));
}

/** Received by the end of day D and not ended by then. */
export function inProgressAt(t: DossierTimeline, day: CivilDate): boolean {
  const then = asOf(t, endOfVnDay(day));
  return then.receivedAt !== null && endingOf(then) === null;
}

/**
 * A dossier in progress at the end of day D is overdue when its due date in force then is on or
 * before D; waiting for the applicant, it is within time (its clock stands still).
 */
export function overdueAt(
  t: DossierTimeline,
  day: CivilDate,
  view: View,
  cal: WorkingCalendar = kpiCalendar(),
): boolean {
  const instant = endOfVnDay(day);
  const then = asOf(t, instant);
  if (then.receivedAt === null || endingOf(then) !== null) return false;
  if (view === 'indicator' && supplementRequestsBy(then, instant) > 1) return true;
  if (isWaitingAt(then, instant)) return false;
  const due = dueDateIn(view, then, instant, cal);
  return due !== null && isOverdueAt(onDate(due), day);
}
