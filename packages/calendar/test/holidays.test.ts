import { defaultHolidays, quocKhanhAdjacentDay } from '../src/holidays';
import { vietnameseLunarCalendar } from '../src/lunar';
import { createCalendar } from '../src/working-calendar';

/** A calendar from the rules alone: no announcements. */
const rulesOnly = createCalendar({ overrides: [] });
const offDays = (year: number) => rulesOnly.holidays(year).map((h) => h.date);

describe('statutory holidays (Bộ luật Lao động 2019, Art. 112) without announcements', () => {
  it('gives Tết 2025 (Ất Tỵ) as 29 tháng Chạp to mùng 4, 28/1–1/2, and Monday 3/2 for Saturday 1/2', () => {
    const tet = rulesOnly.holidays(2025).filter((h) => h.name.includes('Tết Nguyên đán'));
    expect(tet.map((h) => [h.date, h.kind, h.detail])).toEqual([
      ['2025-01-28', 'statutory', '29 tháng Chạp'],
      ['2025-01-29', 'statutory', 'mùng 1 Tết'],
      ['2025-01-30', 'statutory', 'mùng 2 Tết'],
      ['2025-01-31', 'statutory', 'mùng 3 Tết'],
      ['2025-02-01', 'statutory', 'mùng 4 Tết'],
      ['2025-02-03', 'compensatory', 'bù cho 01/02/2025'],
    ]);
    expect(rulesOnly.isWorkingDay('2025-01-27')).toBe(true);
    expect(rulesOnly.isWorkingDay('2025-02-04')).toBe(true);
  });

  it('gives Tết 2026 (Bính Ngọ) as Monday 16/2 (29 tháng Chạp) to Friday 20/2, with no compensatory day', () => {
    const tet = rulesOnly.holidays(2026).filter((h) => h.name.includes('Tết Nguyên đán'));
    expect(tet.map((h) => h.date)).toEqual([
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
    ]);
  });

  it('takes 30 tháng Chạp as the eve when the twelfth month is long (Tết 2024: Friday 9/2)', () => {
    expect(rulesOnly.describeDay('2024-02-09').holiday?.detail).toBe('30 tháng Chạp');
  });

  it('gives two compensatory days when Tết covers a whole weekend (2024: Wednesday 14/2 and Thursday 15/2)', () => {
    expect(offDays(2024).filter((d) => d >= '2024-02-08' && d <= '2024-02-16')).toEqual([
      '2024-02-09',
      '2024-02-10',
      '2024-02-11',
      '2024-02-12',
      '2024-02-13',
      '2024-02-14',
      '2024-02-15',
    ]);
    expect(rulesOnly.isWorkingDay('2024-02-16')).toBe(true);
  });

  it('gives Giỗ Tổ Hùng Vương 2025 on Monday 7/4 and no compensatory day', () => {
    const day = rulesOnly.describeDay('2025-04-07');
    expect(day).toMatchObject({ working: false, basis: 'statutory', holiday: { name: 'Giỗ Tổ Hùng Vương' } });
    expect(rulesOnly.isWorkingDay('2025-04-08')).toBe(true);
  });

  it('compensates Saturday 1/1/2022 with Monday 3/1/2022 (Art. 111.3)', () => {
    expect(rulesOnly.describeDay('2022-01-03')).toMatchObject({
      working: false,
      basis: 'compensatory',
      holiday: { name: 'Nghỉ bù Tết Dương lịch', detail: 'bù cho 01/01/2022' },
    });
    expect(rulesOnly.isWorkingDay('2022-01-04')).toBe(true);
  });

  it('compensates 30/4/2022 (Saturday) and 1/5/2022 (Sunday) with Monday 2/5 and Tuesday 3/5 in turn', () => {
    const comp = rulesOnly
      .holidays(2022)
      .filter((h) => h.kind === 'compensatory' && h.date.startsWith('2022-05'));
    expect(comp.map((h) => [h.date, h.name])).toEqual([
      ['2022-05-02', 'Nghỉ bù Ngày Chiến thắng'],
      ['2022-05-03', 'Nghỉ bù Ngày Quốc tế lao động'],
    ]);
  });

  it('skips holidays when compensating: Giỗ Tổ on Saturday 29/4/2023 and 30/4 on Sunday take Tuesday 2/5 and Wednesday 3/5', () => {
    expect(offDays(2023).filter((d) => d >= '2023-04-29' && d <= '2023-05-04')).toEqual([
      '2023-04-29',
      '2023-04-30',
      '2023-05-01',
      '2023-05-02',
      '2023-05-03',
    ]);
  });

  it('compensates Sunday 26/4/2026 (Giỗ Tổ) with Monday 27/4/2026', () => {
    expect(rulesOnly.describeDay('2026-04-27').basis).toBe('compensatory');
  });
});

describe('Quốc khánh 2/9 and its adjacent day (Art. 112.1.đ)', () => {
  it.each([
    [2021, 'Thursday', '2021-09-03'],
    [2022, 'Friday', '2022-09-01'],
    [2023, 'Saturday', '2023-09-01'],
    [2024, 'Monday', '2024-09-03'],
    [2025, 'Tuesday', '2025-09-01'],
    [2026, 'Wednesday', '2026-09-01'],
    [2029, 'Sunday', '2029-09-03'],
  ])('in %i (2/9 on a %s) adds %s', (year, _weekday, adjacent) => {
    expect(quocKhanhAdjacentDay(year)).toBe(adjacent);
    expect(rulesOnly.describeDay(adjacent)).toMatchObject({
      working: false,
      holiday: { detail: 'ngày liền kề 2/9' },
    });
  });

  it('gives 2023 four days off, Friday 1/9 to Monday 4/9, Monday compensating Saturday 2/9', () => {
    expect(offDays(2023).filter((d) => d.startsWith('2023-09'))).toEqual([
      '2023-09-01',
      '2023-09-02',
      '2023-09-04',
    ]);
    expect(rulesOnly.isWorkingDay('2023-09-05')).toBe(true);
  });

  it('gives Sunday 2/9/2029 Monday 3/9 as adjacent day and Tuesday 4/9 as compensatory day', () => {
    expect(offDays(2029).filter((d) => d.startsWith('2029-09'))).toEqual([
      '2029-09-02',
      '2029-09-03',
      '2029-09-04',
    ]);
  });

  it('keeps 2/9 a single day before Bộ luật Lao động 2019 took effect (2020: Tuesday 1/9 and Thursday 3/9 worked)', () => {
    expect(offDays(2020).filter((d) => d.startsWith('2020-09'))).toEqual(['2020-09-02']);
  });
});

describe('default holiday list', () => {
  it('lists the eleven statutory days of 2026 and its one compensatory day, in date order', () => {
    const list = defaultHolidays(2026, vietnameseLunarCalendar);
    expect(list.filter((h) => h.kind === 'statutory')).toHaveLength(11);
    expect(list.filter((h) => h.kind === 'compensatory').map((h) => h.date)).toEqual(['2026-04-27']);
    expect(list.map((h) => h.date)).toEqual([...list.map((h) => h.date)].sort());
  });

  it('refuses years before the rules it knows (Bộ luật Lao động 2012 from 2013)', () => {
    expect(() => defaultHolidays(2012, vietnameseLunarCalendar)).toThrow(RangeError);
    expect(() => rulesOnly.isWorkingDay('2010-05-03')).toThrow(RangeError);
  });
});
