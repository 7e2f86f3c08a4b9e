import { createCalendar, OFFICIAL_DAYS_2024_2026, vnInstant } from '@tthc/calendar';

/**
 * Working days between two civil dates on the national calendar (statutory holidays and the
 * announced days off and worked Saturdays), for publication timeliness.
 */
export function workingDaysBetweenFactory(): (from: string, to: string) => number {
  const calendar = createCalendar({ overrides: [...OFFICIAL_DAYS_2024_2026] });
  return (from, to) => calendar.countWorkingDays(vnInstant(from, '12:00'), vnInstant(to, '12:00'));
}
