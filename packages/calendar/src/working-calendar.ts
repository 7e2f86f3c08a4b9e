import { type CivilDate, addDays, parseCivilDate, toDayNumber, fromDayNumber, yearOf } from './civil-date';
import {
  type DueDateCalendar,
  type DueDateOptions,
  type Period,
  computeDueDate,
  effectiveReceiptDay,
} from './due-date';
import { type Holiday, HOLIDAY_RULES_FROM_YEAR, defaultHolidays, isWeekend } from './holidays';
import { type LunarCalendarSource, LUNAR_RANGE, vietnameseLunarCalendar } from './lunar';
import { type DayOverride } from './official-days';
import { type CalendarSettings, type ResolvedSettings, resolveCutoff, resolveSettings } from './settings';
import { vnDate, vnInstant } from './vn-date';

/**
 * The working calendar of state agencies (domain.md, "Working days and due dates"): Monday to
 * Friday, minus statutory holidays and their compensatory days (./holidays), with the override
 * table winning date by date. Pure: no I/O, no clock, no server time zone.
 *
 * Construction is synchronous: the lunar calendar is computed in-process (./lunar), so nothing
 * has to be loaded first. Defaults are computed per year on first use and cached.
 */

export interface DayInfo {
  date: CivilDate;
  working: boolean;
  /** Why: an override, a holiday, or the plain weekly pattern. */
  basis: 'override' | 'statutory' | 'compensatory' | 'weekday' | 'weekend';
  holiday?: Holiday;
  override?: DayOverride;
}

export interface WorkingCalendar {
  isWorkingDay(date: CivilDate): boolean;
  describeDay(date: CivilDate): DayInfo;
  /** Days off of a year other than plain weekends: holidays, nghỉ bù and declared days off. */
  holidays(year: number): readonly Holiday[];
  /** The first working day strictly after `date`. */
  nextWorkingDay(date: CivilDate): CivilDate;
  /** `date` itself when it is a working day, else the next one. */
  workingDayOnOrAfter(date: CivilDate): CivilDate;
  /** The n-th working day after `date` (before it when n < 0); `date` itself when n = 0. */
  addWorkingDays(date: CivilDate, n: number): CivilDate;
  /** The civil day a receipt counts from (see ./due-date). */
  receiptDay(receivedAt: Date, options?: DueDateOptions): CivilDate;
  /** The end of the last office block of a day (17:00 local by default). */
  endOfDay(date: CivilDate): Date;
  dueDate(receivedAt: Date, period: Period, options?: DueDateOptions): Date;
  /**
   * Working days after the civil day of `from` up to and including that of `to` (0 on the same
   * day). Negative when `to` is earlier: −countWorkingDays(to, from), so days late and days
   * early read with their sign.
   */
  countWorkingDays(from: Date, to: Date): number;
}

/** Years a calendar answers for: the holiday rules' first year to the lunar tables' last. */
export const CALENDAR_RANGE = { firstYear: HOLIDAY_RULES_FROM_YEAR, lastYear: LUNAR_RANGE.lastYear } as const;

/** More consecutive days off than any announcement gives means a broken override table. */
const MAX_DAYS_OFF_IN_A_ROW = 60;

export function createCalendar(
  settings: CalendarSettings,
  lunar: LunarCalendarSource = vietnameseLunarCalendar,
): WorkingCalendar {
  return new VietnameseWorkingCalendar(resolveSettings(settings), lunar);
}

class VietnameseWorkingCalendar implements WorkingCalendar, DueDateCalendar {
  private readonly defaultsByYear = new Map<number, ReadonlyMap<CivilDate, Holiday>>();
  readonly officeBlocks: ReadonlyArray<readonly [number, number]>;

  constructor(
    private readonly settings: ResolvedSettings,
    private readonly lunar: LunarCalendarSource,
  ) {
    this.officeBlocks = settings.officeBlocks;
  }

  isWorkingDay(date: CivilDate): boolean {
    return this.describeDay(date).working;
  }

  describeDay(date: CivilDate): DayInfo {
    const holiday = this.defaults(yearOf(date)).get(date);
    const override = this.settings.overrides.get(date);
    if (override) {
      return {
        date,
        working: override.kind === 'working_day',
        basis: 'override',
        override,
        ...(holiday ? { holiday } : {}),
      };
    }
    if (holiday)
      return {
        date,
        working: false,
        basis: holiday.kind === 'compensatory' ? 'compensatory' : 'statutory',
        holiday,
      };
    return isWeekend(date)
      ? { date, working: false, basis: 'weekend' }
      : { date, working: true, basis: 'weekday' };
  }

  holidays(year: number): readonly Holiday[] {
    const computed = this.defaults(year);
    const out = [...computed.values()].filter(
      (h) => this.settings.overrides.get(h.date)?.kind !== 'working_day',
    );
    for (const override of this.settings.overrides.values()) {
      if (override.kind === 'holiday' && yearOf(override.date) === year && !computed.has(override.date)) {
        out.push({
          date: override.date,
          name: override.name ?? override.reason,
          kind: 'declared',
          detail: override.reason,
        });
      }
    }
    return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }

  nextWorkingDay(date: CivilDate): CivilDate {
    return this.workingDayOnOrAfter(addDays(date, 1));
  }

  workingDayOnOrAfter(date: CivilDate): CivilDate {
    let day = date;
    for (let i = 0; i <= MAX_DAYS_OFF_IN_A_ROW; i++, day = addDays(day, 1)) {
      if (this.isWorkingDay(day)) return day;
    }
    throw new Error(
      `no working day within ${MAX_DAYS_OFF_IN_A_ROW} days from ${date}: check the override table`,
    );
  }

  addWorkingDays(date: CivilDate, n: number): CivilDate {
    if (!Number.isInteger(n)) throw new RangeError(`working days must be an integer: ${n}`);
    parseCivilDate(date);
    const step = n < 0 ? -1 : 1;
    let day = date;
    for (let left = Math.abs(n); left > 0;) {
      day = addDays(day, step);
      if (this.isWorkingDay(day)) left--;
    }
    return day;
  }

  receiptDay(receivedAt: Date, options?: DueDateOptions): CivilDate {
    return effectiveReceiptDay(this, receivedAt, this.cutoff(options));
  }

  endOfDay(date: CivilDate): Date {
    const last = this.officeBlocks[this.officeBlocks.length - 1];
    if (!last) throw new Error('no office hours'); // unreachable: resolveSettings requires a block
    return vnInstant(date, last[1]);
  }

  dueDate(receivedAt: Date, period: Period, options?: DueDateOptions): Date {
    return computeDueDate(this, receivedAt, period, this.cutoff(options));
  }

  countWorkingDays(from: Date, to: Date): number {
    const a = toDayNumber(vnDate(from));
    const b = toDayNumber(vnDate(to));
    const [low, high, sign] = a <= b ? [a, b, 1] : [b, a, -1];
    let count = 0;
    for (let n = low + 1; n <= high; n++) if (this.isWorkingDay(fromDayNumber(n))) count++;
    return sign * count;
  }

  private cutoff(options: DueDateOptions | undefined): number | null {
    return options?.cutoff !== undefined ? resolveCutoff(options.cutoff) : this.settings.cutoffMinutes;
  }

  private defaults(year: number): ReadonlyMap<CivilDate, Holiday> {
    let table = this.defaultsByYear.get(year);
    if (!table) {
      if (!Number.isInteger(year) || year < CALENDAR_RANGE.firstYear || year > CALENDAR_RANGE.lastYear) {
        throw new RangeError(
          `the working calendar covers ${CALENDAR_RANGE.firstYear}–${CALENDAR_RANGE.lastYear}, not ${year}`,
        );
      }
      table = new Map(defaultHolidays(year, this.lunar).map((h) => [h.date, h]));
      this.defaultsByYear.set(year, table);
    }
    return table;
  }
}
