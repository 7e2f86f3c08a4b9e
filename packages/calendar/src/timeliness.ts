import { type CivilDate, parseCivilDate } from './civil-date';
import { vnDate } from './vn-date';

/**
 * The suite's one rule for timeliness (domain.md, "Timeliness"): compare civil DATES in
 * Asia/Ho_Chi_Minh, never instants, because the appointment on the receipt is a date and the
 * reference one-stop systems disagree on hours. So a dossier ended at 23:59 on its due date is on
 * time, and one ended at 00:00 the next day is late, whatever hour the due instant carries.
 *
 * Withdrawn and stopped dossiers count as on time whatever their date, and a rescheduled dossier
 * is judged against its original due date: both are decisions of the caller, which passes the
 * right due date and status; these functions only compare dates.
 */

export type Timeliness = 'early' | 'on_time' | 'late';

/** early: ended on a date before the due date; on_time: on the due date; late: after it. */
export function timeliness(endedAt: Date, dueAt: Date): Timeliness {
  const ended = vnDate(endedAt);
  const due = vnDate(dueAt);
  return ended < due ? 'early' : ended === due ? 'on_time' : 'late';
}

/**
 * A dossier still in progress, judged at the end of day D (the last day of a reporting period):
 * overdue when its due date is on or before D.
 */
export function isOverdueAt(dueAt: Date, endOfDay: CivilDate): boolean {
  parseCivilDate(endOfDay);
  return vnDate(dueAt) <= endOfDay;
}

/**
 * A dossier still in progress, judged now (the desk's lists): overdue when its due date is
 * before today; due today is a warning, not yet overdue (see isDueToday).
 */
export function isOverdueNow(dueAt: Date, now: Date): boolean {
  return vnDate(dueAt) < vnDate(now);
}

/** Due today in Việt Nam: the desk's warning list. */
export function isDueToday(dueAt: Date, now: Date): boolean {
  return vnDate(dueAt) === vnDate(now);
}
