import { deltaTSeconds, newMoonJde, sunApparentLongitude, sunReachesLongitude } from '../src/astronomy';
import { addDays, fromDayNumber, toDayNumber } from '../src/civil-date';
import { LUNAR_RANGE, vietnameseLunarCalendar as lunar } from '../src/lunar';

const tet = (year: number) => lunar.toSolar({ year, month: 1, day: 1 });

describe('astronomy (Meeus, Astronomical Algorithms)', () => {
  it('reproduces Meeus example 49.a: the new moon of February 1977 at JDE 2443192.65118', () => {
    expect(newMoonJde(-283)).toBeCloseTo(2443192.65118, 4);
  });

  it("reproduces Meeus example 25.a: the Sun's apparent longitude 199.90895° on 1992-10-13.0 TD", () => {
    expect(sunApparentLongitude(2448908.5)).toBeCloseTo(199.90895, 3);
  });

  it('finds the December solstice of 2024 at 09:20 UTC on 21/12 within the 0.01° (≈ 15 minutes) of the low-accuracy theory', () => {
    const jde = sunReachesLongitude(270, 2460665.5);
    const utc = new Date((jde - deltaTSeconds(2024.97) / 86400 - 2440587.5) * 86_400_000);
    expect(Math.abs(utc.getTime() - Date.UTC(2024, 11, 21, 9, 20))).toBeLessThan(15 * 60_000);
  });

  it('refuses ΔT before 1860, where its polynomials stop', () => {
    expect(() => deltaTSeconds(1850)).toThrow(RangeError);
  });
});

describe('Vietnamese lunar calendar', () => {
  it.each([
    [2024, '2024-02-10'],
    [2025, '2025-01-29'],
    [2026, '2026-02-17'],
    [2027, '2027-02-06'],
    [2028, '2028-01-26'],
    [2029, '2029-02-13'],
  ])('puts Tết (mùng 1 tháng Giêng) of %i on %s', (year, date) => {
    expect(tet(year)).toBe(date);
  });

  it('puts Tết 2030 on 2/2, a day before China: the new moon is at 23:07 in UTC+7, 00:07 in UTC+8', () => {
    expect(tet(2030)).toBe('2030-02-02');
  });

  it('follows the UTC+7 meridian where China differs: Tết 1985 on 21/1 (China 20/2) and 2007 on 17/2 (China 18/2)', () => {
    expect(tet(1985)).toBe('1985-01-21');
    expect(tet(2007)).toBe('2007-02-17');
    expect(tet(1968)).toBe('1968-01-29');
  });

  it.each([
    [2024, '2024-04-18'],
    [2025, '2025-04-07'],
    [2026, '2026-04-26'],
  ])('puts Giỗ Tổ Hùng Vương (10/3 lunar) of %i on %s', (year, date) => {
    expect(lunar.toSolar({ year, month: 3, day: 10 })).toBe(date);
  });

  it('places the leap months of 2020 (4), 2023 (2) and 2025 (6) after their regular months', () => {
    expect(lunar.toSolar({ year: 2020, month: 4, day: 1, leap: true })).toBe('2020-05-23');
    expect(lunar.toSolar({ year: 2023, month: 2, day: 1, leap: true })).toBe('2023-03-22');
    expect(lunar.toSolar({ year: 2025, month: 6, day: 1, leap: true })).toBe('2025-07-25');
    expect(lunar.fromSolar('2025-07-25')).toEqual({ year: 2025, month: 6, day: 1, leap: true });
  });

  it('refuses a leap month that the year does not have', () => {
    expect(() => lunar.toSolar({ year: 2026, month: 6, day: 1, leap: true })).toThrow(RangeError);
  });

  it('has no 30 tháng Chạp in Giáp Thìn (Tết 2025 followed 29 tháng Chạp) but has one in Quý Mão', () => {
    expect(lunar.fromSolar('2025-01-28')).toEqual({ year: 2024, month: 12, day: 29, leap: false });
    expect(() => lunar.toSolar({ year: 2024, month: 12, day: 30 })).toThrow(RangeError);
    expect(lunar.fromSolar('2024-02-09')).toEqual({ year: 2023, month: 12, day: 30, leap: false });
  });

  it('names months 11 and 12 by the lunar year that began the previous January', () => {
    expect(lunar.fromSolar('2025-12-20')).toEqual({ year: 2025, month: 11, day: 1, leap: false });
    expect(lunar.toSolar({ year: 2025, month: 12, day: 1 })).toBe('2026-01-19');
  });

  it('converts every day of 2020–2035 to a lunar date and back to itself, with months of 29 or 30 days', () => {
    const end = toDayNumber('2035-12-31');
    for (let n = toDayNumber('2020-01-01'); n <= end; n++) {
      const date = fromDayNumber(n);
      const l = lunar.fromSolar(date);
      expect(lunar.toSolar(l)).toBe(date);
      if (l.day === 1) {
        const previous = lunar.fromSolar(addDays(date, -1)).day;
        expect([29, 30]).toContain(previous);
      }
    }
  });

  it('refuses years outside the supported range instead of guessing', () => {
    expect(() => tet(LUNAR_RANGE.firstYear - 1)).toThrow(RangeError);
    expect(() => lunar.fromSolar('2200-06-01')).toThrow(RangeError);
  });
});
