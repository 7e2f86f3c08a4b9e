import { type CivilDate, formatCivilDate, parseCivilDate } from './civil-date';

/**
 * Việt Nam keeps UTC+7 all year: no daylight saving, and the whole country on the 105°E meridian
 * since 13/6/1975 (the South used UTC+8 before). So local time is a fixed shift of UTC, and
 * nothing here reads the server's zone or the tz database. Earlier instants are out of scope.
 */
export const VN_UTC_OFFSET_MINUTES = 7 * 60;

const MS_PER_MINUTE = 60_000;
const OFFSET_MS = VN_UTC_OFFSET_MINUTES * MS_PER_MINUTE;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** The civil date (YYYY-MM-DD) of an instant in Asia/Ho_Chi_Minh. */
export function vnDate(instant: Date): CivilDate {
  const local = shifted(instant);
  return formatCivilDate(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate());
}

/** Milliseconds since local midnight (Asia/Ho_Chi_Minh) of an instant. */
export function vnTimeOfDayMs(instant: Date): number {
  const local = shifted(instant).getTime();
  const day = 86_400_000;
  return ((local % day) + day) % day;
}

/** The instant at a local wall-clock time ('HH:MM', or minutes after midnight) on a civil date. */
export function vnInstant(date: CivilDate, time: string | number): Date {
  const { year, month, day } = parseCivilDate(date);
  const minutes = typeof time === 'number' ? time : parseClock(time);
  return new Date(Date.UTC(year, month - 1, day) + minutes * MS_PER_MINUTE - OFFSET_MS);
}

/** Minutes after midnight of an 'HH:MM' clock time (00:00–23:59). */
export function parseClock(time: string): number {
  const match = HH_MM.exec(time);
  if (!match) throw new RangeError(`not a clock time (HH:MM): ${JSON.stringify(time)}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** ISO 8601 with the +07:00 offset, as the API returns instants (style.md, convention 8). */
export function toVnIsoString(instant: Date): string {
  const local = shifted(instant).toISOString(); // 'YYYY-MM-DDTHH:MM:SS.sssZ' of local wall time
  return `${local.slice(0, 19)}+07:00`;
}

function shifted(instant: Date): Date {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid Date');
  return new Date(ms + OFFSET_MS);
}
