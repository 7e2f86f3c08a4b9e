import { datesBetween } from '../src/civil-date';
import { OFFICIAL_DAYS_2024_2026, type DayOverride } from '../src/official-days';
import { createCalendar } from '../src/working-calendar';

/** The calendar as the services run it: computed defaults plus the seeded announcements. */
const official = createCalendar({ overrides: OFFICIAL_DAYS_2024_2026 });
const working = (from: string, to: string) => datesBetween(from, to).filter((d) => official.isWorkingDay(d));

describe('the confirmed announcements of 2024–2026 (seed data)', () => {
  it('expands the announcements into one override per date, 52 in all', () => {
    // 2024: Tết 7 + back 15/2, 30/4 5 + Saturday 4/5, Quốc khánh 4; 2025: Tết 9 + back 3/2,
    // Saturday 26/4, 30/4 5, Quốc khánh 4; 2026: 1/1 4, Saturday 10/1, Tết 9.
    expect(OFFICIAL_DAYS_2024_2026).toHaveLength(7 + 1 + 5 + 1 + 4 + (9 + 1 + 1 + 5 + 4) + (4 + 1 + 9));
    expect(new Set(OFFICIAL_DAYS_2024_2026.map((o) => o.date)).size).toBe(OFFICIAL_DAYS_2024_2026.length);
    expect(OFFICIAL_DAYS_2024_2026.filter((o) => o.kind === 'working_day').map((o) => o.date)).toEqual([
      '2024-02-15',
      '2024-05-04',
      '2025-02-03',
      '2025-04-26',
      '2026-01-10',
    ]);
    expect(OFFICIAL_DAYS_2024_2026.every((o) => o.source && o.source !== 'same')).toBe(true);
  });

  it('gives Tết 2024 off from Thursday 8/2 to Wednesday 14/2, back at work Thursday 15/2 (no computed nghỉ bù left)', () => {
    expect(working('2024-02-07', '2024-02-16')).toEqual(['2024-02-07', '2024-02-15', '2024-02-16']);
    expect(official.describeDay('2024-02-15')).toMatchObject({
      working: true,
      basis: 'override',
      holiday: { kind: 'compensatory' },
    });
  });

  it('swaps Monday 29/4/2024 for Saturday 4/5/2024 around 30/4–1/5', () => {
    expect(official.isWorkingDay('2024-04-29')).toBe(false);
    expect(official.isWorkingDay('2024-05-04')).toBe(true);
    expect(working('2024-04-26', '2024-05-06')).toEqual([
      '2024-04-26',
      '2024-05-02',
      '2024-05-03',
      '2024-05-04',
      '2024-05-06',
    ]);
  });

  it('gives Tết 2025 off from Saturday 25/1 to Sunday 2/2, Monday 27/1 included, back at work Monday 3/2', () => {
    expect(official.isWorkingDay('2025-01-27')).toBe(false);
    expect(official.describeDay('2025-01-27')).toMatchObject({
      basis: 'override',
      override: { name: 'Nghỉ Tết Nguyên đán' },
    });
    expect(working('2025-01-24', '2025-02-04')).toEqual(['2025-01-24', '2025-02-03', '2025-02-04']);
    // The rules alone would have kept 27/1 worked and 3/2 off (nghỉ bù for Saturday 1/2).
    const rulesOnly = createCalendar({ overrides: [] });
    expect([rulesOnly.isWorkingDay('2025-01-27'), rulesOnly.isWorkingDay('2025-02-03')]).toEqual([
      true,
      false,
    ]);
  });

  it('gives Quốc khánh 2025 off from Saturday 30/8 to Tuesday 2/9', () => {
    expect(working('2025-08-29', '2025-09-03')).toEqual(['2025-08-29', '2025-09-03']);
    expect(official.describeDay('2025-08-30')).toMatchObject({ working: false, basis: 'override' });
  });

  it('gives Quốc khánh 2024 off from Saturday 31/8 to Tuesday 3/9, back at work Wednesday 4/9', () => {
    expect(working('2024-08-30', '2024-09-04')).toEqual(['2024-08-30', '2024-09-04']);
  });

  it('swaps Friday 2/5/2025 for Saturday 26/4/2025 around 30/4–1/5', () => {
    expect(working('2025-04-26', '2025-05-05')).toEqual([
      '2025-04-26',
      '2025-04-28',
      '2025-04-29',
      '2025-05-05',
    ]);
    expect(official.describeDay('2025-04-26')).toMatchObject({ working: true, basis: 'override' });
  });

  it('counts 2/1/2026 as a day off and Saturday 10/1/2026 as a working day', () => {
    expect(official.isWorkingDay('2026-01-02')).toBe(false);
    expect(official.isWorkingDay('2026-01-10')).toBe(true);
    expect(official.isWorkingDay('2026-01-05')).toBe(true);
  });

  it('gives Tết 2026 off from Saturday 14/2 to Sunday 22/2 and nothing more', () => {
    expect(working('2026-02-13', '2026-02-23')).toEqual(['2026-02-13', '2026-02-23']);
  });

  it('lists the declared weekend days of Tết 2026 beside the statutory ones', () => {
    const tet = official.holidays(2026).filter((h) => h.date >= '2026-02-14' && h.date <= '2026-02-22');
    expect(tet.map((h) => h.kind)).toEqual([
      'declared',
      'declared',
      'statutory',
      'statutory',
      'statutory',
      'statutory',
      'statutory',
      'declared',
      'declared',
    ]);
    expect(tet[0]).toMatchObject({
      name: 'Nghỉ Tết Nguyên đán',
      detail: expect.stringContaining('Tết Bính Ngọ'),
    });
  });

  it('keeps the computed Giỗ Tổ 2025 (Monday 7/4), which no announcement changed', () => {
    expect(working('2025-04-04', '2025-04-08')).toEqual(['2025-04-04', '2025-04-08']);
    expect(official.describeDay('2025-04-07')).toMatchObject({ working: false, basis: 'statutory' });
  });
});

describe('overrides win over computed days', () => {
  it('lets an override make a computed holiday a working day and drops it from the holiday list', () => {
    const cal = createCalendar({
      overrides: [{ date: '2026-04-27', kind: 'working_day', reason: 'nghỉ bù moved (test)' }],
    });
    expect(cal.isWorkingDay('2026-04-27')).toBe(true);
    expect(cal.holidays(2026).map((h) => h.date)).not.toContain('2026-04-27');
    expect(cal.describeDay('2026-04-27')).toMatchObject({
      basis: 'override',
      holiday: { kind: 'compensatory' },
    });
  });

  it('lets an override give a day off on an ordinary weekday, listed as declared under its reason', () => {
    const cal = createCalendar({
      overrides: [{ date: '2026-11-24', kind: 'holiday', reason: 'Ngày Văn hóa Việt Nam' }],
    });
    expect(cal.isWorkingDay('2026-11-24')).toBe(false);
    expect(cal.holidays(2026)).toContainEqual({
      date: '2026-11-24',
      name: 'Ngày Văn hóa Việt Nam',
      kind: 'declared',
      detail: 'Ngày Văn hóa Việt Nam',
    });
  });

  it('lets an override make a Sunday a working day', () => {
    const cal = createCalendar({ overrides: [{ date: '2026-03-01', kind: 'working_day', reason: 'test' }] });
    expect(cal.isWorkingDay('2026-03-01')).toBe(true);
    expect(cal.nextWorkingDay('2026-02-28')).toBe('2026-03-01');
  });

  it('needs the first day back written down when an announced Tết ends before the computed nghỉ bù (Tết 2025)', () => {
    const daysOffOnly: DayOverride[] = datesBetween('2025-01-25', '2025-02-02').map((date): DayOverride => ({
      date,
      kind: 'holiday',
      reason: 'Tết Ất Tỵ',
    }));
    expect(createCalendar({ overrides: daysOffOnly }).isWorkingDay('2025-02-03')).toBe(false);
    const withReturn = createCalendar({
      overrides: [
        ...daysOffOnly,
        { date: '2025-02-03', kind: 'working_day', reason: 'Tết Ất Tỵ ends Sunday 2/2' },
      ],
    });
    expect(withReturn.isWorkingDay('2025-02-03')).toBe(true);
  });

  it('refuses a table with two rows for one date rather than pick one', () => {
    expect(() =>
      createCalendar({
        overrides: [
          { date: '2026-01-02', kind: 'holiday', reason: 'a' },
          { date: '2026-01-02', kind: 'working_day', reason: 'b' },
        ],
      }),
    ).toThrow(/two overrides for 2026-01-02/);
  });
});
