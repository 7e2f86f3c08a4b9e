import { createCalendar, OFFICIAL_DAYS_2024_2026, type WorkingCalendar } from '@tthc/calendar';

let shared: WorkingCalendar | undefined;

/**
 * The working-day calendar kpi counts waiting time and publication delays with: the statutory
 * days and the confirmed announcements of 2024–2026. kpi receives no calendar events, so an
 * override an administrator adds in intake after those years is not seen here (see the README).
 */
export function kpiCalendar(): WorkingCalendar {
  shared ??= createCalendar({ overrides: OFFICIAL_DAYS_2024_2026 });
  return shared;
}
