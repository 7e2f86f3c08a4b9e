import {
  type Announcement,
  CALENDAR_RANGE,
  type DayOverride,
  datesBetween,
  overridesFromAnnouncements,
  toDayNumber,
  yearOf,
} from '@tthc/calendar';
import type { FieldError } from '@tthc/service-kit';
import { z } from 'zod';
import { nfc } from '../../domain/dossier-input';

/**
 * A year's table of official days off and worked days, in the shape of the shared seed file
 * (data/vn-official-days-2024-2026.json): announcements as ranges of one kind. The government
 * fixes the Tết and Quốc khánh days and the Saturday swaps each year (Bộ luật Lao động 2019,
 * Art. 112.3), so an administrator loads them as data rather than waiting for a release.
 */
export const OfficialDaysFile = z
  .object({
    about: nfc(2000).optional(),
    entries: z
      .array(
        z.object({
          from: z.iso.date(),
          to: z.iso.date(),
          kind: z.enum(['day_off', 'working_day']),
          reason: nfc(500),
          source: nfc(500).nullable().optional(),
        }),
      )
      .max(200),
  })
  .meta({
    examples: [
      {
        about: 'Ngày nghỉ, ngày làm bù của cán bộ, công chức, viên chức năm 2027 theo thông báo chính thức',
        entries: [
          {
            from: '2027-02-05',
            to: '2027-02-10',
            kind: 'day_off',
            reason: 'Tết Đinh Mùi',
            source: 'Thông báo của Văn phòng Chính phủ',
          },
          {
            from: '2027-02-13',
            to: '2027-02-13',
            kind: 'working_day',
            reason: 'Làm bù cho thứ Sáu 12/2/2027',
            source: null,
          },
        ],
      },
    ],
  });
export type OfficialDaysFile = z.infer<typeof OfficialDaysFile>;

/** No announcement gives more consecutive days than this; a longer range is a typing error. */
export const MAX_DAYS_IN_AN_ENTRY = 31;

export type YearTable = { ok: true; overrides: DayOverride[] } | { ok: false; errors: FieldError[] };

/**
 * Checks a file against the year it is loaded for and expands it to one override per date:
 * every range inside the year, in order, at most MAX_DAYS_IN_AN_ENTRY days, and no date in two
 * entries (the answer would depend on their order). Every problem is reported, by entry.
 */
export function yearTable(year: number, file: OfficialDaysFile): YearTable {
  const errors: FieldError[] = [];
  const error = (i: number, field: string, detail: string) =>
    errors.push({ in: 'body', pointer: `/entries/${i}/${field}`, detail });
  if (!Number.isInteger(year) || year < CALENDAR_RANGE.firstYear || year > CALENDAR_RANGE.lastYear) {
    return {
      ok: false,
      errors: [
        {
          in: 'params',
          pointer: '/year',
          detail: `the calendar covers ${CALENDAR_RANGE.firstYear}–${CALENDAR_RANGE.lastYear}`,
        },
      ],
    };
  }
  const seen = new Map<string, number>();
  file.entries.forEach((e, i) => {
    for (const field of ['from', 'to'] as const) {
      if (yearOf(e[field]) !== year)
        error(i, field, `${e[field]} is not in ${year}: load it with the table of ${yearOf(e[field])}`);
    }
    if (e.to < e.from) return error(i, 'to', `ends (${e.to}) before it starts (${e.from})`);
    if (toDayNumber(e.to) - toDayNumber(e.from) >= MAX_DAYS_IN_AN_ENTRY) {
      return error(i, 'to', `a range of more than ${MAX_DAYS_IN_AN_ENTRY} days (${e.from} to ${e.to})`);
    }
    for (const date of datesBetween(e.from, e.to)) {
      const other = seen.get(date);
      if (other !== undefined)
        return error(i, 'from', `${date} is also in entry ${other}: one entry per date`);
      seen.set(date, i);
    }
  });
  if (errors.length > 0) return { ok: false, errors };
  const announcements = file.entries.map((e): Announcement => ({
    from: e.from,
    to: e.to,
    kind: e.kind,
    reason: e.reason,
    ...(e.source ? { source: e.source } : {}),
  }));
  return { ok: true, overrides: overridesFromAnnouncements(announcements) };
}
