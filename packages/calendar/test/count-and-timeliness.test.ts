import { datesBetween } from '../src/civil-date';
import { OFFICIAL_DAYS_2024_2026 } from '../src/official-days';
import { isDueToday, isOverdueAt, isOverdueNow, timeliness } from '../src/timeliness';
import { vnInstant } from '../src/vn-date';
import { createCalendar } from '../src/working-calendar';

const cal = createCalendar({ overrides: OFFICIAL_DAYS_2024_2026 });
const at = (date: string, time: string) => vnInstant(date, time);

describe('countWorkingDays (working days after the day of `from`, up to and including the day of `to`)', () => {
  it('is 0 on the same civil day, even from 00:30 to 23:30', () => {
    expect(cal.countWorkingDays(at('2026-03-09', '00:30'), at('2026-03-09', '23:30'))).toBe(0);
  });

  it('counts 2 from Thursday 12/2/2026 to Monday 23/2/2026 across Tết (13/2 and 23/2)', () => {
    expect(cal.countWorkingDays(at('2026-02-12', '10:00'), at('2026-02-23', '09:00'))).toBe(2);
  });

  it('counts the worked Saturday and skips 30/4–4/5/2025: 4 from Friday 25/4 to Monday 5/5', () => {
    expect(cal.countWorkingDays(at('2025-04-25', '10:00'), at('2025-05-05', '10:00'))).toBe(4);
  });

  it('is negative when `to` is earlier, so that days early read with their sign', () => {
    expect(cal.countWorkingDays(at('2025-05-05', '10:00'), at('2025-04-25', '10:00'))).toBe(-4);
  });

  it('counts days in Việt Nam: 17:30 UTC on Sunday is already Monday 00:30 local', () => {
    expect(cal.countWorkingDays(new Date('2026-03-06T10:00:00Z'), new Date('2026-03-08T17:30:00Z'))).toBe(1);
  });

  it('agrees with dueDate: every working day of 2024–2026 reaches a 5-working-day due date in exactly 5', () => {
    for (const date of datesBetween('2024-01-01', '2026-12-31').filter((d) => cal.isWorkingDay(d))) {
      const receivedAt = at(date, '09:00');
      const dueAt = cal.dueDate(receivedAt, { value: 5, unit: 'working_days' });
      expect(cal.countWorkingDays(receivedAt, dueAt)).toBe(5);
    }
  });
});

describe('timeliness (compare civil dates in Asia/Ho_Chi_Minh)', () => {
  const dueAt = at('2026-02-26', '17:00');

  it('counts a dossier resolved at 23:59 local on its due date as on time', () => {
    expect(timeliness(at('2026-02-26', '23:59'), dueAt)).toBe('on_time');
  });

  it('counts a dossier resolved at 00:00 local the day after its due date as late', () => {
    expect(timeliness(at('2026-02-27', '00:00'), dueAt)).toBe('late');
  });

  it('counts a dossier resolved at 23:59 local the day before its due date as early', () => {
    expect(timeliness(at('2026-02-25', '23:59'), dueAt)).toBe('early');
  });

  it('counts a dossier resolved at 08:00 on its due date as on time though the due instant is 17:00', () => {
    expect(timeliness(at('2026-02-26', '08:00'), dueAt)).toBe('on_time');
  });

  it('judges by the Vietnamese date, not the UTC one: 17:00 UTC on the due date is already late', () => {
    expect(timeliness(new Date('2026-02-26T16:59:59Z'), dueAt)).toBe('on_time');
    expect(timeliness(new Date('2026-02-26T17:00:00Z'), dueAt)).toBe('late');
  });
});

describe('overdue dossiers in progress', () => {
  const dueAt = at('2026-02-26', '17:00');

  it('judged at the end of a day D, counts a dossier due on D as overdue', () => {
    expect(isOverdueAt(dueAt, '2026-02-26')).toBe(true);
    expect(isOverdueAt(dueAt, '2026-03-31')).toBe(true);
  });

  it('judged at the end of the day before its due date, counts it within time', () => {
    expect(isOverdueAt(dueAt, '2026-02-25')).toBe(false);
  });

  it('judged now, treats due today as a warning and not overdue', () => {
    const lateEvening = at('2026-02-26', '23:00');
    expect(isOverdueNow(dueAt, lateEvening)).toBe(false);
    expect(isDueToday(dueAt, lateEvening)).toBe(true);
  });

  it('judged now, counts it overdue from 00:00 local the day after', () => {
    expect(isOverdueNow(dueAt, at('2026-02-27', '00:00'))).toBe(true);
    expect(isDueToday(dueAt, at('2026-02-27', '00:00'))).toBe(false);
  });

  it('refuses a malformed end-of-period date rather than compare strings', () => {
    expect(() => isOverdueAt(dueAt, '26/02/2026')).toThrow(RangeError);
  });
});
