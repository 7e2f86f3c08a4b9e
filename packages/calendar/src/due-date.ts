import { type CivilDate, addDays, addMonths } from './civil-date';
import { vnDate, vnInstant, vnTimeOfDayMs } from './vn-date';

/**
 * Due dates ("ngày hẹn trả") from the instant of an event (a receipt, a hand-over, the end of a
 * wait) and a processing time, per domain.md "Working days and due dates" and the Civil Code 2015
 * (Bộ luật Dân sự 2015) rules on periods:
 *  - Art. 147.1: a period in minutes or hours starts at the moment itself. Art. 147.2–147.3: a
 *    period in days, weeks, months or years does not count the day of the event; it starts on
 *    the day after, whatever day that is.
 *  - Art. 148.1: a period in days ends at the end of its last day; Art. 148.3: one in months
 *    ends at the end of the corresponding day of its last month, or that month's last day when
 *    it has none; Art. 148.5: a last day that is a weekly rest day or a holiday moves to the end
 *    of the next working day.
 *
 * So the units differ in where they start:
 *  - `days` and `months` (calendar periods) follow the Civil Code alone: counted from the day
 *    after the event, even when the event falls on a Saturday, a holiday or after office hours;
 *    no cut-off applies. Only their last day moves (Art. 148.5).
 *  - `working_days` and `working_hours` count the desk's working time, so they start from the
 *    next working day: a receipt on a non-working day, or after the cut-off on a working day,
 *    counts as received on the next working day (domain.md: the rule set's cut-off "moves a
 *    receipt to the next working day"). A dossier filed online on Saturday with one working day
 *    is due Tuesday (received Monday, + 1), not Monday: the desk receives it on Monday.
 *
 * "End of day" is the end of the last office-hours block (17:00 by default), not the Civil
 * Code's 24:00 (Art. 148.6): a result can only be returned while the desk is open, and the
 * receipt prints that time. Timeliness compares civil dates, so the choice never changes whether
 * a dossier is early, on time or late.
 */

export type PeriodUnit = 'working_days' | 'working_hours' | 'days' | 'months';

export interface Period {
  /** Non-negative; an integer except for working hours (0.5 = 30 minutes). 0 = same day. */
  value: number;
  unit: PeriodUnit;
}

export interface DueDateOptions {
  /**
   * 'HH:MM' or null (no cut-off); when absent, the calendar's setting applies. It moves the start
   * of working-day and working-hour periods only; calendar periods ignore it (Art. 147).
   */
  cutoff?: string | null;
}

/** What due-date arithmetic needs from a calendar. */
export interface DueDateCalendar {
  isWorkingDay(date: CivilDate): boolean;
  nextWorkingDay(date: CivilDate): CivilDate;
  workingDayOnOrAfter(date: CivilDate): CivilDate;
  addWorkingDays(date: CivilDate, n: number): CivilDate;
  endOfDay(date: CivilDate): Date;
  readonly officeBlocks: ReadonlyArray<readonly [number, number]>;
}

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;

/**
 * The civil day a working-time period counts from: the receipt's own date, or the next working
 * day (see above). With no cut-off set, office hours decide: a receipt after the office closed
 * counts from the next working day. Calendar periods (days, months) do not use it.
 */
export function effectiveReceiptDay(
  cal: DueDateCalendar,
  receivedAt: Date,
  cutoffMinutes: number | null,
): CivilDate {
  const day = vnDate(receivedAt);
  if (!cal.isWorkingDay(day)) return cal.nextWorkingDay(day);
  const closes = cal.officeBlocks[cal.officeBlocks.length - 1]?.[1];
  const limit = (cutoffMinutes ?? closes ?? 24 * 60) * MS_PER_MINUTE;
  if (vnTimeOfDayMs(receivedAt) > limit) return cal.nextWorkingDay(day);
  return day;
}

export function computeDueDate(
  cal: DueDateCalendar,
  receivedAt: Date,
  period: Period,
  cutoffMinutes: number | null,
): Date {
  checkPeriod(period);
  const due = dueByUnit(cal, receivedAt, period, cutoffMinutes);
  // A same-day period (N = 0) received after the office closed ends with the next working day,
  // never before the event itself.
  if (due.getTime() < receivedAt.getTime()) return cal.endOfDay(cal.nextWorkingDay(vnDate(due)));
  return due;
}

function dueByUnit(
  cal: DueDateCalendar,
  receivedAt: Date,
  period: Period,
  cutoffMinutes: number | null,
): Date {
  switch (period.unit) {
    case 'working_days': {
      const start = effectiveReceiptDay(cal, receivedAt, cutoffMinutes);
      return cal.endOfDay(cal.addWorkingDays(start, period.value));
    }
    // Civil Code Art. 147.3: counted from the day after the event, whatever day the event was;
    // Art. 148.1/148.3 give the last day and Art. 148.5 moves it off a rest day or holiday.
    case 'days':
      return cal.endOfDay(cal.workingDayOnOrAfter(addDays(vnDate(receivedAt), period.value)));
    case 'months':
      return cal.endOfDay(cal.workingDayOnOrAfter(addMonths(vnDate(receivedAt), period.value)));
    case 'working_hours':
      return addWorkingTime(cal, receivedAt, Math.round(period.value * MS_PER_HOUR), cutoffMinutes);
  }
}

/**
 * Office-hours arithmetic: the clock runs only inside office blocks of working days. A receipt
 * outside them starts at the next opening (after lunch, the next morning, the next working day);
 * after the cut-off it starts at the next working day's opening. A period that uses up a block
 * exactly ends at that block's end (11:30, 17:00), not at the next opening.
 */
function addWorkingTime(
  cal: DueDateCalendar,
  receivedAt: Date,
  durationMs: number,
  cutoffMinutes: number | null,
): Date {
  let day = vnDate(receivedAt);
  let timeOfDay = vnTimeOfDayMs(receivedAt);
  const afterCutoff = cutoffMinutes !== null && timeOfDay > cutoffMinutes * MS_PER_MINUTE;
  if (!cal.isWorkingDay(day) || afterCutoff) {
    day = cal.nextWorkingDay(day);
    timeOfDay = 0;
  }
  let remaining = durationMs;
  for (;;) {
    for (const [start, end] of cal.officeBlocks) {
      const from = Math.max(timeOfDay, start * MS_PER_MINUTE);
      const available = end * MS_PER_MINUTE - from;
      if (available <= 0) continue;
      if (remaining <= available) return new Date(vnInstant(day, 0).getTime() + from + remaining);
      remaining -= available;
    }
    day = cal.nextWorkingDay(day);
    timeOfDay = 0;
  }
}

function checkPeriod(period: Period): void {
  const { value, unit } = period;
  const integral = unit !== 'working_hours';
  if (!Number.isFinite(value) || value < 0 || (integral && !Number.isInteger(value))) {
    throw new RangeError(`invalid period: ${JSON.stringify(period)}`);
  }
}
