import { type CivilDate, fromDayNumber, toDayNumber, yearOf } from './civil-date';
import {
  jdeToJdUt,
  jdUtToJde,
  nearestNewMoonNumber,
  newMoonJde,
  sunApparentLongitude,
  sunReachesLongitude,
} from './astronomy';

/**
 * The lunar calendar behind Tết and Giỗ Tổ Hùng Vương, isolated behind one interface so that
 * the working calendar does not care where conversions come from.
 *
 * Why not the npm package @dqcai/vn-lunar: its dates are right, but its lookup tables and
 * algorithm are Hồ Ngọc Đức's amlich code (same TK19–TK22 tables, same 1200–2199 bounds) with
 * the author's copyright line removed; that code is licensed for personal, non-commercial use
 * only, so the package's MIT label cannot be relied on. This module computes the calendar
 * instead from astronomy (./astronomy, after Meeus) and the published rules of the Vietnamese
 * calendar, which follows the Chinese rules but on the UTC+7 meridian (hence Tết 1985, 2007 and
 * 2030 differ from China's):
 *  1. a month starts on the civil day (UTC+7) of a new moon;
 *  2. month 11 is the month containing the December solstice;
 *  3. when 13 months run from one month 11 to the next, the first of them (after month 11)
 *     that contains no major solar term (Sun's longitude a multiple of 30°) is the leap month
 *     and repeats the number of the month before it.
 */

export interface LunarDate {
  /** The lunar year, named by the Gregorian year in which its month 1 begins. */
  year: number;
  month: number;
  day: number;
  leap: boolean;
}

/** What the working calendar needs from a lunar calendar. */
export interface LunarCalendarSource {
  /** The civil date of a lunar date; throws RangeError when that date does not exist. */
  toSolar(date: { year: number; month: number; day: number; leap?: boolean }): CivilDate;
  fromSolar(date: CivilDate): LunarDate;
}

/**
 * Years this implementation converts. Việt Nam has computed its calendar on UTC+7 since 1968;
 * before that it used the Chinese (UTC+8) calendar, which this module does not reproduce. Past
 * 2199 the ΔT extrapolation is too uncertain to place new moons near midnight.
 */
export const LUNAR_RANGE = { firstYear: 1968, lastYear: 2199 } as const;

interface LunarMonth {
  /** Day number (days since 1970-01-01) of its first day. */
  start: number;
  days: number;
  year: number;
  month: number;
  leap: boolean;
}

const UNIX_EPOCH_JD = 2440587.5;
const VN_OFFSET_DAYS = 7 / 24;

const newMoonDays = new Map<number, number>();
const monthsOfSui = new Map<number, readonly LunarMonth[]>();

/** Day number of the civil day (UTC+7) on which new moon k falls. */
function newMoonDay(k: number): number {
  let day = newMoonDays.get(k);
  if (day === undefined) {
    day = Math.floor(jdeToJdUt(newMoonJde(k)) - UNIX_EPOCH_JD + VN_OFFSET_DAYS);
    newMoonDays.set(k, day);
  }
  return day;
}

/** Index (0–11) of the last major solar term reached at local midnight starting a day. */
function majorTermAt(dayNumber: number): number {
  const jde = jdUtToJde(dayNumber + UNIX_EPOCH_JD - VN_OFFSET_DAYS);
  return Math.floor(sunApparentLongitude(jde) / 30);
}

/** New moon number starting month 11 of a Gregorian year: the month holding its December solstice. */
function month11(year: number): number {
  const estimate = Date.UTC(year, 11, 21) / 86_400_000 + UNIX_EPOCH_JD;
  const solsticeUt = jdeToJdUt(sunReachesLongitude(270, jdUtToJde(estimate)));
  const solsticeDay = Math.floor(solsticeUt - UNIX_EPOCH_JD + VN_OFFSET_DAYS);
  let k = nearestNewMoonNumber(solsticeUt);
  while (newMoonDay(k) > solsticeDay) k--;
  while (newMoonDay(k + 1) <= solsticeDay) k++;
  return k;
}

/** The months from month 11 of year − 1 up to (not including) month 11 of year. */
function sui(year: number): readonly LunarMonth[] {
  const cached = monthsOfSui.get(year);
  if (cached) return cached;
  const first = month11(year - 1);
  const count = month11(year) - first;
  let leapIndex = -1;
  if (count === 13) {
    for (let i = 1; i < count && leapIndex < 0; i++) {
      if (majorTermAt(newMoonDay(first + i)) === majorTermAt(newMoonDay(first + i + 1))) leapIndex = i;
    }
    if (leapIndex < 0) throw new Error(`no month without a major term in lunar year ${year}`);
  }
  const months: LunarMonth[] = [];
  let month = 11;
  let lunarYear = year - 1;
  for (let i = 0; i < count; i++) {
    if (i > 0 && i !== leapIndex) {
      month = month === 12 ? 1 : month + 1;
      if (month === 1) lunarYear = year;
    }
    const start = newMoonDay(first + i);
    months.push({
      start,
      days: newMoonDay(first + i + 1) - start,
      year: lunarYear,
      month,
      leap: i === leapIndex,
    });
  }
  monthsOfSui.set(year, months);
  return months;
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < LUNAR_RANGE.firstYear || year > LUNAR_RANGE.lastYear) {
    throw new RangeError(
      `lunar conversion supports ${LUNAR_RANGE.firstYear}–${LUNAR_RANGE.lastYear}, not ${year}`,
    );
  }
}

/** The Vietnamese lunar calendar (UTC+7), computed from astronomy. */
export const vietnameseLunarCalendar: LunarCalendarSource = {
  toSolar({ year, month, day, leap = false }) {
    checkYear(year);
    // Months 11 and 12 of a lunar year open the next sui (they follow its winter solstice).
    const found = sui(month >= 11 ? year + 1 : year).find(
      (m) => m.year === year && m.month === month && m.leap === leap,
    );
    if (!found || !Number.isInteger(day) || day < 1 || day > found.days) {
      throw new RangeError(`no such lunar date: ${day}/${month}${leap ? ' (nhuận)' : ''}/${year}`);
    }
    return fromDayNumber(found.start + day - 1);
  },

  fromSolar(date) {
    const year = yearOf(date);
    checkYear(year);
    const dayNumber = toDayNumber(date);
    const months = dayNumber >= newMoonDay(month11(year)) ? sui(year + 1) : sui(year);
    const found = [...months].reverse().find((m) => m.start <= dayNumber);
    if (!found) throw new Error(`lunar month not found for ${date}`); // unreachable: a sui starts in Nov/Dec
    return { year: found.year, month: found.month, day: dayNumber - found.start + 1, leap: found.leap };
  },
};
