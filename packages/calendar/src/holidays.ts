import { type CivilDate, addDays, formatCivilDate, parseCivilDate, weekday } from './civil-date';
import { type LunarCalendarSource } from './lunar';

/**
 * Public holidays as the law sets them by default, before the yearly announcements (which the
 * override table holds). Rules by period:
 *  - Bộ luật Lao động 2019, Art. 112.1 (from 2021): 1/1; Tết Âm lịch 5 days; 30/4; 1/5;
 *    Quốc khánh 2/9 plus one adjacent day; Giỗ Tổ Hùng Vương on 10/3 lunar.
 *  - Bộ luật Lao động 2012, Art. 115.1 (2013–2020): the same, but Quốc khánh is 2/9 only.
 * Art. 112.3 (2019) lets the Prime Minister fix the Tết days and the Quốc khánh adjacent day each
 * year; the defaults below are what the announcements usually do, and overrides correct them.
 *
 * Compensatory days: a holiday falling on a weekly rest day (Saturday or Sunday for state
 * agencies, which work Monday to Friday under Quyết định 188/1999/QĐ-TTg) gives a day off on the
 * next working day (Bộ luật Lao động 2019, Art. 111.3; 2012, Art. 115.3). Several holidays on a
 * weekend (Tết, or 30/4 on Saturday and 1/5 on Sunday) take the following working days in turn.
 */

export type HolidayKind = 'statutory' | 'compensatory' | 'declared';

export interface Holiday {
  date: CivilDate;
  /** Vietnamese name to show, e.g. 'Tết Nguyên đán', 'Nghỉ bù Ngày Chiến thắng'. */
  name: string;
  /** statutory: a day of the law; compensatory: nghỉ bù; declared: from the override table. */
  kind: HolidayKind;
  /** Which day it is ('mùng 1 Tết', 'bù cho 30/04/2022', or the override's reason). */
  detail?: string;
}

/** Years the default rules cover: from Bộ luật Lao động 2012 (in force 1/5/2013) on. */
export const HOLIDAY_RULES_FROM_YEAR = 2013;

/** The year Bộ luật Lao động 2019 took effect (1/1/2021) and Quốc khánh became two days. */
const LABOUR_CODE_2019_FROM_YEAR = 2021;

/**
 * The Quốc khánh adjacent day ("01 ngày liền kề trước hoặc sau", Art. 112.1.đ) when none is
 * announced: the adjacent weekday that joins the holiday to a weekend, else the day before. This
 * reproduces every announcement since 2021: 2/9 on Monday → 3/9 (2024), Tuesday → 1/9 (2025),
 * Thursday → 3/9 (2021), Friday → 1/9 (2022), Saturday → 1/9 (2023). For Wednesday (no bridge
 * either way) it takes 1/9; for Sunday, Monday 3/9 (1/9 would be a Saturday).
 */
export function quocKhanhAdjacentDay(year: number): CivilDate {
  const nationalDay = formatCivilDate(year, 9, 2);
  const dayAfter = [0, 1, 4].includes(weekday(nationalDay)); // Sunday, Monday, Thursday
  return addDays(nationalDay, dayAfter ? 1 : -1);
}

/** The statutory holidays of a Gregorian year and their compensatory days, sorted by date. */
export function defaultHolidays(year: number, lunar: LunarCalendarSource): Holiday[] {
  if (!Number.isInteger(year) || year < HOLIDAY_RULES_FROM_YEAR) {
    throw new RangeError(`holiday rules start in ${HOLIDAY_RULES_FROM_YEAR}, not ${year}`);
  }
  const statutory: Holiday[] = [
    { date: formatCivilDate(year, 1, 1), name: 'Tết Dương lịch', kind: 'statutory' },
    ...tetDays(year, lunar),
    {
      date: lunar.toSolar({ year, month: 3, day: 10 }),
      name: 'Giỗ Tổ Hùng Vương',
      kind: 'statutory',
      detail: '10 tháng 3 âm lịch',
    },
    { date: formatCivilDate(year, 4, 30), name: 'Ngày Chiến thắng', kind: 'statutory' },
    { date: formatCivilDate(year, 5, 1), name: 'Ngày Quốc tế lao động', kind: 'statutory' },
    { date: formatCivilDate(year, 9, 2), name: 'Ngày Quốc khánh', kind: 'statutory' },
  ];
  if (year >= LABOUR_CODE_2019_FROM_YEAR) {
    statutory.push({
      date: quocKhanhAdjacentDay(year),
      name: 'Ngày Quốc khánh',
      kind: 'statutory',
      detail: 'ngày liền kề 2/9',
    });
  }
  statutory.sort(byDate);
  return [...statutory, ...compensatoryDays(statutory)].sort(byDate);
}

/**
 * Default Tết: the last day of the old lunar year (30 tháng Chạp, or 29 when the month is short)
 * and mùng 1–4 of the new year, five days as Art. 112.1.b counts them. 2026 followed it (16–20/2,
 * 29 tháng Chạp to mùng 4). 2024 and 2025 put the block a day earlier (8–12/2/2024, 29 tháng
 * Chạp to mùng 3; 27–31/1/2025, 28 tháng Chạp to mùng 3), so for those years the computed block
 * and its nghỉ bù are wrong: the override table (./official-days) holds the announced days off
 * and marks the computed nghỉ bù that fell after them (15/2/2024, 3/2/2025) as worked.
 */
function tetDays(year: number, lunar: LunarCalendarSource): Holiday[] {
  const newYear = lunar.toSolar({ year, month: 1, day: 1 });
  const eve = addDays(newYear, -1);
  const days: Holiday[] = [
    {
      date: eve,
      name: 'Tết Nguyên đán',
      kind: 'statutory',
      detail: `${lunar.fromSolar(eve).day} tháng Chạp`,
    },
  ];
  for (let n = 1; n <= 4; n++) {
    days.push({
      date: addDays(newYear, n - 1),
      name: 'Tết Nguyên đán',
      kind: 'statutory',
      detail: `mùng ${n} Tết`,
    });
  }
  return days;
}

function compensatoryDays(statutory: readonly Holiday[]): Holiday[] {
  const taken = new Set(statutory.map((h) => h.date));
  const out: Holiday[] = [];
  for (const holiday of statutory) {
    if (!isWeekend(holiday.date)) continue;
    let day = addDays(holiday.date, 1);
    while (isWeekend(day) || taken.has(day)) day = addDays(day, 1);
    taken.add(day);
    out.push({
      date: day,
      name: `Nghỉ bù ${holiday.name}`,
      kind: 'compensatory',
      detail: `bù cho ${dmy(holiday.date)}`,
    });
  }
  return out;
}

export function isWeekend(date: CivilDate): boolean {
  const day = weekday(date);
  return day === 0 || day === 6;
}

function dmy(date: CivilDate): string {
  const { year, month, day } = parseCivilDate(date);
  return `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`;
}

function byDate(a: Holiday, b: Holiday): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}
