import { type CivilDate, datesBetween } from './civil-date';

/**
 * Yearly announcements that the computed defaults cannot know: the days the Prime Minister fixes
 * for Tết and Quốc khánh (Bộ luật Lao động 2019, Art. 112.3) and the swaps of a working day
 * for a Saturday that state agencies announce (a Friday off, a Saturday worked in lieu).
 * The table wins over computed days, date by date.
 */
export interface DayOverride {
  date: CivilDate;
  /** holiday: a day off whatever the rules say; working_day: worked whatever they say. */
  kind: 'holiday' | 'working_day';
  /** Why, in the words of the announcement (shown as the holiday's detail). */
  reason: string;
  /** Vietnamese name to list a declared holiday under; defaults to the reason. */
  name?: string;
  /** Where the announcement was published. */
  source?: string;
}

/** One announcement as the shared seed file writes it: a range of days of one kind. */
export interface Announcement {
  from: CivilDate;
  to: CivilDate;
  kind: 'day_off' | 'working_day';
  /** Vietnamese name to list the days under (the seed file has none; this table adds one). */
  name?: string;
  reason: string;
  source?: string;
}

const VPCP_2450_2024 = 'VPCP letter 2450/VPCP-KGVX of 12/4/2024';
const VPCP_8726_2024 = 'VPCP letter 8726/VPCP-KGVX of 26/11/2024';
const VIETNAMPLUS_30_4_2025 =
  "VietnamPlus, 'Công chức, viên chức được nghỉ thế nào trong dịp lễ 30/4-1/5/2025'";
const VPCP_12729_2025 = 'VPCP letter 12729/VPCP-KGVX of 25/12/2025';

/**
 * Confirmed announcements for state agencies, 2024–2026, copied from the shared seed file
 * data/vn-official-days-2024-2026.json: from, to, kind and reason verbatim; a source written
 * 'same' there is spelled out; `name` is added here. Ranges keep the weekends the announcements
 * count, so the table reads as announced.
 *
 * Two rows are not in the file but follow from it: when an announcement fixes the Tết days
 * (Art. 112.3), the computed block and its nghỉ bù no longer apply, so the first day back that
 * the computed defaults would keep off is written down as worked (Thursday 15/2/2024, Monday
 * 3/2/2025; see ./holidays for the computed Tết).
 */
const ANNOUNCEMENTS_2024_2026: readonly Announcement[] = [
  {
    from: '2024-02-08',
    to: '2024-02-14',
    kind: 'day_off',
    name: 'Nghỉ Tết Nguyên đán',
    reason:
      'Tết Giáp Thìn (Tết is Saturday 10/2/2024): from Thursday 8/2 (29 Tết) to Wednesday 14/2 (mùng 5)',
    source: "Prime Minister's approved plan for state agencies, Tết 2024",
  },
  {
    from: '2024-02-15',
    to: '2024-02-15',
    kind: 'working_day',
    name: 'Đi làm sau Tết Giáp Thìn',
    reason:
      'Tết Giáp Thìn ends Wednesday 14/2/2024: Thursday 15/2 is worked (the computed nghỉ bù for Sunday 11/2 does not apply)',
    source: "Prime Minister's approved plan for state agencies, Tết 2024",
  },
  {
    from: '2024-04-27',
    to: '2024-05-01',
    kind: 'day_off',
    name: 'Nghỉ lễ 30/4 và 1/5',
    reason: '30/4 and 1/5 with the weekend; Monday 29/4 swapped',
    source: VPCP_2450_2024,
  },
  {
    from: '2024-05-04',
    to: '2024-05-04',
    kind: 'working_day',
    name: 'Làm bù cho thứ Hai 29/04/2024',
    reason: 'Saturday worked in lieu of Monday 29/4/2024',
    source: VPCP_2450_2024,
  },
  {
    from: '2024-08-31',
    to: '2024-09-03',
    kind: 'day_off',
    name: 'Nghỉ lễ Quốc khánh',
    reason: 'Quốc khánh 2/9 (2/9 and 3/9 holidays, with the weekend)',
    source: 'btv.org.vn news of the announcement',
  },
  {
    from: '2025-01-25',
    to: '2025-02-02',
    kind: 'day_off',
    name: 'Nghỉ Tết Nguyên đán',
    reason: 'Tết Ất Tỵ (Tết is Wednesday 29/1/2025): from Saturday 25/1 to Sunday 2/2',
    source: VPCP_8726_2024,
  },
  {
    from: '2025-02-03',
    to: '2025-02-03',
    kind: 'working_day',
    name: 'Đi làm sau Tết Ất Tỵ',
    reason:
      'Tết Ất Tỵ ends Sunday 2/2/2025: Monday 3/2 is worked (the computed nghỉ bù for Saturday 1/2 does not apply)',
    source: VPCP_8726_2024,
  },
  {
    from: '2025-04-26',
    to: '2025-04-26',
    kind: 'working_day',
    name: 'Làm bù cho thứ Sáu 02/05/2025',
    reason: 'Saturday worked in lieu of Friday 2/5/2025',
    source: VIETNAMPLUS_30_4_2025,
  },
  {
    from: '2025-04-30',
    to: '2025-05-04',
    kind: 'day_off',
    name: 'Nghỉ lễ 30/4 và 1/5',
    reason: '30/4 and 1/5, Friday 2/5 swapped, and the weekend',
    source: VIETNAMPLUS_30_4_2025,
  },
  {
    from: '2025-08-30',
    to: '2025-09-02',
    kind: 'day_off',
    name: 'Nghỉ lễ Quốc khánh',
    reason: 'Quốc khánh 2/9 (Monday 1/9 and Tuesday 2/9 holidays, with the weekend)',
    source: 'announcement of the 2025 National Day holiday for state agencies',
  },
  {
    from: '2026-01-01',
    to: '2026-01-04',
    kind: 'day_off',
    name: 'Nghỉ Tết Dương lịch',
    reason: 'Tết Dương lịch; Friday 2/1 swapped',
    source: VPCP_12729_2025,
  },
  {
    from: '2026-01-10',
    to: '2026-01-10',
    kind: 'working_day',
    name: 'Làm bù cho thứ Sáu 02/01/2026',
    reason: 'Saturday worked in lieu of Friday 2/1/2026',
    source: VPCP_12729_2025,
  },
  {
    from: '2026-02-14',
    to: '2026-02-22',
    kind: 'day_off',
    name: 'Nghỉ Tết Nguyên đán',
    reason: 'Tết Bính Ngọ (Tết is Tuesday 17/2/2026): five statutory days 16–20/2 with two weekends',
    source: "congan.com.vn, 'Chính thức chốt phương án Tết Nguyên đán Bính Ngọ 2026 nghỉ 9 ngày'",
  },
];

/** Expands announcements (ranges) into one override per date. */
export function overridesFromAnnouncements(announcements: readonly Announcement[]): DayOverride[] {
  return announcements.flatMap(({ from, to, kind, name, reason, source }) =>
    datesBetween(from, to).map((date): DayOverride => ({
      date,
      kind: kind === 'day_off' ? 'holiday' : 'working_day',
      reason,
      ...(name !== undefined ? { name } : {}),
      ...(source !== undefined ? { source } : {}),
    })),
  );
}

/** Seed rows for the override table: the confirmed days of 2024–2026, one per date. */
export const OFFICIAL_DAYS_2024_2026: readonly DayOverride[] = Object.freeze(
  overridesFromAnnouncements(ANNOUNCEMENTS_2024_2026).map((o) => Object.freeze(o)),
);
