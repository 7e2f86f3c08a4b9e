import {
  isDueToday,
  isOverdueAt,
  isOverdueNow,
  toDayNumber,
  vnDate,
  vnInstant,
  type CivilDate,
  type WorkingCalendar,
} from '@tthc/calendar';
import type { DossierStatus } from '@tthc/contracts';

/**
 * The dossier clock (domain.md, Timeliness), defined once for the lists, the DTOs, the reminders
 * and the events: which dossiers are open, when the clock runs or waits for the applicant, when
 * a dossier is overdue now (the desk's view, against the current appointment) and at the end
 * of a day (the statistics' view, against the legal due date).
 */

/** Received and not ended: the clock runs, or waits for the applicant. */
export const OPEN_STATUSES = [
  'received',
  'processing',
  'awaiting_supplement',
  'awaiting_payment',
] as const satisfies readonly DossierStatus[];
/** Waiting for the applicant (a supplement, a payment): the clock is stopped, the dossier within time. */
export const WAITING_STATUSES = [
  'awaiting_supplement',
  'awaiting_payment',
] as const satisfies readonly DossierStatus[];
/** The clock runs: the dossier can become overdue. */
export const RUNNING_STATUSES = ['received', 'processing'] as const satisfies readonly DossierStatus[];

export const isOpen = (status: DossierStatus): boolean =>
  (OPEN_STATUSES as readonly DossierStatus[]).includes(status);
export const isWaiting = (status: DossierStatus): boolean =>
  (WAITING_STATUSES as readonly DossierStatus[]).includes(status);
export const clockRunning = (status: DossierStatus): boolean =>
  (RUNNING_STATUSES as readonly DossierStatus[]).includes(status);

/**
 * Overdue now, as the desk sees it: the clock runs and the current appointment (a rescheduled
 * date included: what the applicant was last promised) is before today. Due today is a warning.
 */
export function overdueNow(d: { status: DossierStatus; due_at: Date | null }, now: Date): boolean {
  return clockRunning(d.status) && d.due_at !== null && isOverdueNow(d.due_at, now);
}

/**
 * The instant before which a running dossier's appointment makes it overdue now: the start of
 * today in Việt Nam (what overdueNow judges one dossier by, for a query over many).
 */
export function overdueNowCutoff(now: Date): Date {
  return vnInstant(vnDate(now), '00:00');
}

export function dueToday(d: { status: DossierStatus; due_at: Date | null }, now: Date): boolean {
  return clockRunning(d.status) && d.due_at !== null && isDueToday(d.due_at, now);
}

/**
 * Overdue at the end of day D, as the statistics judge a dossier still in progress then: its
 * legal due date is on or before D, whatever a reschedule promised; a dossier waiting for the
 * applicant then is within time.
 */
export function overdueAtEndOf(
  d: { status: DossierStatus; legal_due_at: Date | null; original_due_at: Date | null; due_at: Date | null },
  day: CivilDate,
): boolean {
  const due = judgedDueDate(d);
  return clockRunning(d.status) && due !== null && isOverdueAt(due, day);
}

/** The three dates of the dossier clock (see db/migrations/202611300004_dossier_clock.ts). */
export interface DossierClock {
  due_at: Date | null;
  legal_due_at: Date | null;
  waiting_since: Date | null;
}

/**
 * The due date timeliness is judged against, in every statistic and indicator and in the
 * dossier's own verdict: the legal one, never a rescheduled one (domain.md, Timeliness). The
 * desk's "overdue now" instead uses the current appointment (`due_at`): that is what the
 * applicant was last promised.
 */
export function judgedDueDate(d: {
  legal_due_at: Date | null;
  original_due_at: Date | null;
  due_at: Date | null;
}): Date | null {
  return d.legal_due_at ?? d.original_due_at ?? d.due_at;
}

/** A date moved by N working days, keeping its time of day (Việt Nam has no daylight saving). */
export function shiftWorkingDays(cal: WorkingCalendar, at: Date, n: number): Date {
  if (n === 0) return at;
  const from = vnDate(at);
  const days = toDayNumber(cal.addWorkingDays(from, n)) - toDayNumber(from);
  return new Date(at.getTime() + days * 86_400_000);
}

/**
 * The clock resumes after waiting for the applicant: the working days spent waiting (those after
 * the day the wait began, up to and including the day it ended) are added to the current and the
 * legal due dates (domain.md, Timeliness: the clock of a dossier waiting for the applicant is
 * stopped). The original due date never moves.
 */
export function resumeClock(
  cal: WorkingCalendar,
  clock: DossierClock,
  resumedAt: Date,
): { due_at: Date | null; legal_due_at: Date | null; waited: number } {
  const since = clock.waiting_since;
  const waited = since && resumedAt > since ? cal.countWorkingDays(since, resumedAt) : 0;
  return {
    due_at: clock.due_at && shiftWorkingDays(cal, clock.due_at, waited),
    legal_due_at: clock.legal_due_at && shiftWorkingDays(cal, clock.legal_due_at, waited),
    waited,
  };
}
