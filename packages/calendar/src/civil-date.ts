/**
 * Civil dates ('YYYY-MM-DD') as plain strings: a date in the calendar has no time zone, so it is
 * kept apart from instants (Date). Arithmetic goes through a day number (days since 1970-01-01)
 * computed with Date.UTC, which never consults the server's zone.
 */

/** A proleptic Gregorian civil date written 'YYYY-MM-DD'. */
export type CivilDate = string;

const CIVIL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

export interface CivilParts {
  year: number;
  month: number;
  day: number;
}

/** Splits a civil date, rejecting malformed or impossible dates (2025-02-30). */
export function parseCivilDate(date: CivilDate): CivilParts {
  const match = CIVIL_DATE.exec(date);
  if (match) {
    const parts = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
    if (
      parts.month >= 1 &&
      parts.month <= 12 &&
      parts.day >= 1 &&
      parts.day <= daysInMonth(parts.year, parts.month)
    ) {
      return parts;
    }
  }
  throw new RangeError(`not a civil date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}

export function isCivilDate(value: unknown): value is CivilDate {
  if (typeof value !== 'string') return false;
  try {
    parseCivilDate(value);
    return true;
  } catch {
    return false;
  }
}

export function formatCivilDate(year: number, month: number, day: number): CivilDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Days since 1970-01-01 (negative before). */
export function toDayNumber(date: CivilDate): number {
  const { year, month, day } = parseCivilDate(date);
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

export function fromDayNumber(dayNumber: number): CivilDate {
  const d = new Date(dayNumber * MS_PER_DAY);
  return formatCivilDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** The date n calendar days later (earlier when n is negative). */
export function addDays(date: CivilDate, n: number): CivilDate {
  if (!Number.isInteger(n)) throw new RangeError(`days must be an integer: ${n}`);
  return fromDayNumber(toDayNumber(date) + n);
}

/**
 * The same day n months later, clamped to the end of a shorter month (31/1 + 1 month = 28/2 or
 * 29/2): a period in months ends on the corresponding day of its last month, or on that month's
 * last day when it has no such day (Civil Code 2015, Art. 148.3).
 */
export function addMonths(date: CivilDate, n: number): CivilDate {
  if (!Number.isInteger(n)) throw new RangeError(`months must be an integer: ${n}`);
  const { year, month, day } = parseCivilDate(date);
  const index = year * 12 + (month - 1) + n;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return formatCivilDate(y, m, Math.min(day, daysInMonth(y, m)));
}

/** 0 = Sunday … 6 = Saturday (as Date#getUTCDay). */
export function weekday(date: CivilDate): number {
  // 1970-01-01 was a Thursday (4).
  return (((toDayNumber(date) + 4) % 7) + 7) % 7;
}

export function yearOf(date: CivilDate): number {
  return parseCivilDate(date).year;
}

/** Every date from `from` to `to`, both included (empty when to < from). */
export function datesBetween(from: CivilDate, to: CivilDate): CivilDate[] {
  const out: CivilDate[] = [];
  for (let n = toDayNumber(from), end = toDayNumber(to); n <= end; n++) out.push(fromDayNumber(n));
  return out;
}
