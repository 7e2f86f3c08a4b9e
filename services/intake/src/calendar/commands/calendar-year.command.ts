import { createCalendar, datesBetween } from '@tthc/calendar';
import { withTransaction, type Db } from '@tthc/db';
import { problems } from '@tthc/service-kit';
import { auditAdmin } from '../../db/access.repository';
import type { IntakeDb } from '../../db/schema';
import { listOverrides, replaceYearOverrides } from '../db/settings.repository';
import { yearTable, type OfficialDaysFile } from '../domain/official-days-table';
import type { CalendarProvider } from '../calendar.cache';

export interface LoadYearDeps {
  db: Db<IntakeDb>;
  calendars: CalendarProvider;
}

/**
 * Loads a year's table of official days (a file of announcements) in place of the year's
 * override rows, all or nothing: the file is checked entry by entry, the whole table must still
 * give a working day within reach of every date of the year, and the change is recorded in
 * admin_audit with the rows it replaced. Every replica's calendar follows at once (the
 * provider's fingerprint of the table changes); this one is dropped now as well.
 */
export async function loadCalendarYear(
  deps: LoadYearDeps,
  actor: string,
  year: number,
  file: OfficialDaysFile,
): Promise<{ replaced: number }> {
  const table = yearTable(year, file);
  if (!table.ok) {
    throw problems.unprocessable(
      'invalid_official_days',
      table.errors.map((e) => `${e.pointer}: ${e.detail}`).join('; '),
      table.errors,
    );
  }
  const replaced = await withTransaction(deps.db, async (tx) => {
    const previous = await replaceYearOverrides(
      tx,
      year,
      table.overrides.map((o) => ({
        date: o.date,
        kind: o.kind,
        reason: o.reason,
        source: o.source ?? null,
        updated_by: actor,
      })),
    );
    checkReachable(
      year,
      (await listOverrides(tx)).map((o) => ({ date: o.date, kind: o.kind, reason: o.reason })),
    );
    await auditAdmin(tx, {
      actor,
      action: 'calendar.year.load',
      target: `calendar:${year}`,
      detail: {
        about: file.about ?? null,
        entries: file.entries,
        replaced: previous.map((o) => ({
          date: o.date,
          kind: o.kind,
          reason: o.reason,
          source: o.source,
          updatedBy: o.updated_by,
        })),
      },
    });
    return previous.length;
  });
  deps.calendars.invalidate();
  return { replaced };
}

/** A table under which some date of the year has no working day ahead would break every due date. */
function checkReachable(year: number, overrides: Parameters<typeof createCalendar>[0]['overrides']): void {
  const cal = createCalendar({ overrides });
  for (const date of datesBetween(`${year}-01-01`, `${year}-12-31`)) {
    try {
      cal.workingDayOnOrAfter(date);
    } catch (err) {
      // Past the calendar's last year there is nothing to check against.
      if (err instanceof RangeError) return;
      throw problems.unprocessable('invalid_official_days', `the table leaves no working day after ${date}`, [
        { in: 'body', pointer: '/entries', detail: (err as Error).message },
      ]);
    }
  }
}
