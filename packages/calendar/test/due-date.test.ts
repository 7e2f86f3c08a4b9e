import { OFFICIAL_DAYS_2024_2026 } from '../src/official-days';
import { type Period } from '../src/due-date';
import { toVnIsoString, vnInstant } from '../src/vn-date';
import { createCalendar } from '../src/working-calendar';

const cal = createCalendar({ overrides: OFFICIAL_DAYS_2024_2026 });
const withCutoff = createCalendar({ overrides: OFFICIAL_DAYS_2024_2026, cutoff: '15:00' });

/** A receipt at a local wall-clock time (Asia/Ho_Chi_Minh). */
const at = (date: string, time: string, seconds = 0) =>
  new Date(vnInstant(date, time).getTime() + seconds * 1000);
const due = (receivedAt: Date, value: number, unit: Period['unit'], c = cal) =>
  toVnIsoString(c.dueDate(receivedAt, { value, unit }));

describe('due dates in working days (the N-th working day after the day of receipt)', () => {
  it('gives a 5-working-day dossier received Thursday 12/2/2026 a due date of Thursday 26/2, across Tết', () => {
    // Day of receipt 12/2 is not counted. 1: Fri 13/2; 14/2–22/2 off (Tết Bính Ngọ);
    // 2: Mon 23/2, 3: Tue 24/2, 4: Wed 25/2, 5: Thu 26/2 → end of 26/2 (17:00).
    expect(due(at('2026-02-12', '09:00'), 5, 'working_days')).toBe('2026-02-26T17:00:00+07:00');
  });

  it('counts the worked Saturday 26/4/2025 and skips 30/4–4/5/2025', () => {
    // Received Fri 25/4. 1: Sat 26/4 (worked in lieu), 2: Mon 28/4, 3: Tue 29/4; 30/4–4/5 off; 4: Mon 5/5.
    expect(due(at('2025-04-25', '10:00'), 4, 'working_days')).toBe('2025-05-05T17:00:00+07:00');
  });

  it('moves a receipt after the 15:00 cut-off to the next working day: Friday 13/2/2026 at 16:00 counts from Monday 23/2', () => {
    // Treated as received Mon 23/2. 1: 24/2, 2: 25/2, 3: 26/2, 4: 27/2, 5: Mon 2/3.
    expect(due(at('2026-02-13', '16:00'), 5, 'working_days', withCutoff)).toBe('2026-03-02T17:00:00+07:00');
    // Without a cut-off the same receipt counts from Friday: 23, 24, 25, 26, 27/2.
    expect(due(at('2026-02-13', '16:00'), 5, 'working_days')).toBe('2026-02-27T17:00:00+07:00');
  });

  it('keeps a receipt at exactly 15:00:00 on its day and moves one at 15:00:01', () => {
    expect(due(at('2026-03-09', '15:00'), 3, 'working_days', withCutoff)).toBe('2026-03-12T17:00:00+07:00');
    expect(due(at('2026-03-09', '15:00', 1), 3, 'working_days', withCutoff)).toBe(
      '2026-03-13T17:00:00+07:00',
    );
  });

  it("lets the rule set's cut-off passed per call replace the calendar's", () => {
    const receivedAt = at('2026-03-09', '16:00');
    expect(
      toVnIsoString(withCutoff.dueDate(receivedAt, { value: 1, unit: 'working_days' }, { cutoff: '17:00' })),
    ).toBe('2026-03-10T17:00:00+07:00');
    expect(
      toVnIsoString(withCutoff.dueDate(receivedAt, { value: 1, unit: 'working_days' }, { cutoff: null })),
    ).toBe('2026-03-10T17:00:00+07:00');
    expect(
      toVnIsoString(cal.dueDate(receivedAt, { value: 1, unit: 'working_days' }, { cutoff: '15:00' })),
    ).toBe('2026-03-11T17:00:00+07:00');
  });

  it('treats a receipt on Saturday as received on Monday: one working day is due Tuesday', () => {
    expect(due(at('2026-03-07', '10:00'), 1, 'working_days')).toBe('2026-03-10T17:00:00+07:00');
  });

  it('uses the civil date in Việt Nam, not UTC: 18:00 UTC on Sunday 8/3 is Monday 9/3 01:00 local', () => {
    expect(due(new Date('2026-03-08T18:00:00Z'), 1, 'working_days')).toBe('2026-03-10T17:00:00+07:00');
  });

  it('ends a same-day procedure (N = 0) at the end of the day of receipt, or of the next working day', () => {
    expect(due(at('2026-03-09', '10:00'), 0, 'working_days', withCutoff)).toBe('2026-03-09T17:00:00+07:00');
    expect(due(at('2026-03-09', '15:30'), 0, 'working_days', withCutoff)).toBe('2026-03-10T17:00:00+07:00');
    expect(due(at('2026-02-14', '10:00'), 0, 'working_days')).toBe('2026-02-23T17:00:00+07:00');
  });
});

describe('due dates in working hours (office-hours arithmetic)', () => {
  it('runs across lunch: 4 hours from 10:00 end at 15:30 the same day', () => {
    // 10:00–11:30 is 1.5 h; 13:00 + 2.5 h = 15:30.
    expect(due(at('2026-03-09', '10:00'), 4, 'working_hours')).toBe('2026-03-09T15:30:00+07:00');
  });

  it('runs overnight: 8 hours from Monday 15:00 end Tuesday at 15:00', () => {
    // Mon 15:00–17:00 = 2 h; Tue 07:30–11:30 = 4 h; 13:00 + 2 h = 15:00.
    expect(due(at('2026-03-09', '15:00'), 8, 'working_hours')).toBe('2026-03-10T15:00:00+07:00');
  });

  it('runs over Tết: 2 hours from Friday 13/2/2026 16:00 end Monday 23/2 at 08:30', () => {
    expect(due(at('2026-02-13', '16:00'), 2, 'working_hours')).toBe('2026-02-23T08:30:00+07:00');
  });

  it('starts a receipt at lunch at 13:00 and one before opening at 07:30', () => {
    expect(due(at('2026-03-09', '12:00'), 2, 'working_hours')).toBe('2026-03-09T15:00:00+07:00');
    expect(due(at('2026-03-09', '06:00'), 1, 'working_hours')).toBe('2026-03-09T08:30:00+07:00');
  });

  it('ends at the end of a block it uses up exactly (11:30), not at the next opening', () => {
    expect(due(at('2026-03-09', '07:30'), 4, 'working_hours')).toBe('2026-03-09T11:30:00+07:00');
  });

  it('counts half an hour from 11:15 as 15 minutes before lunch and 15 after (13:15)', () => {
    expect(due(at('2026-03-09', '11:15'), 0.5, 'working_hours')).toBe('2026-03-09T13:15:00+07:00');
  });

  it('starts a receipt after the cut-off at the next working morning', () => {
    expect(due(at('2026-03-09', '15:30'), 1, 'working_hours', withCutoff)).toBe('2026-03-10T08:30:00+07:00');
  });

  it('starts a receipt made in the evening at the next opening', () => {
    expect(due(at('2026-03-09', '19:00'), 1, 'working_hours')).toBe('2026-03-10T08:30:00+07:00');
  });
});

describe('due dates across Tết 2025 (announced 25/1–2/2, back Monday 3/2)', () => {
  it('gives one working day from Friday 24/1/2025 a due date of Monday 3/2', () => {
    // The rules alone would say Monday 27/1 (a Tết day as announced), and the announced days off
    // without the return on 3/2 would say Tuesday 4/2 (the computed nghỉ bù for Saturday 1/2).
    expect(due(at('2025-01-24', '10:00'), 1, 'working_days')).toBe('2025-02-03T17:00:00+07:00');
  });

  it('counts a receipt on Monday 27/1/2025 (a Tết day) from Monday 3/2: five working days end Monday 10/2', () => {
    expect(due(at('2025-01-27', '09:00'), 5, 'working_days')).toBe('2025-02-10T17:00:00+07:00');
  });

  it('runs 8 working hours from Friday 24/1/2025 15:00 to Monday 3/2 at 15:00', () => {
    expect(due(at('2025-01-24', '15:00'), 8, 'working_hours')).toBe('2025-02-03T15:00:00+07:00');
  });

  it('moves 30 calendar days from Thursday 26/12/2024, ending Saturday 25/1/2025 in Tết, to Monday 3/2', () => {
    expect(due(at('2024-12-26', '09:00'), 30, 'days')).toBe('2025-02-03T17:00:00+07:00');
  });
});

describe('calendar periods start the day after the event, whatever day it is (Civil Code 2015 Art. 147)', () => {
  it('ends a 30-day period from a Saturday hand-over (7/3/2026) on Monday 6/4, counting Sunday 8/3 as day 1', () => {
    // A postal dossier counts as received when the hand-over record is signed, Saturday or not.
    // Counting from the next working day instead (Monday 9/3) would have given Wednesday 8/4.
    expect(due(at('2026-03-07', '10:00'), 30, 'days')).toBe('2026-04-06T17:00:00+07:00');
  });

  it('ends a 10-day period from a holiday (Friday 1/5/2026) on Monday 11/5', () => {
    expect(due(at('2026-05-01', '10:00'), 10, 'days')).toBe('2026-05-11T17:00:00+07:00');
  });

  it('ignores the cut-off and office hours: 10 days from Monday 9/3/2026 at 16:30 or 21:00 end Thursday 19/3', () => {
    expect(due(at('2026-03-09', '16:30'), 10, 'days', withCutoff)).toBe('2026-03-19T17:00:00+07:00');
    expect(due(at('2026-03-09', '21:00'), 10, 'days')).toBe('2026-03-19T17:00:00+07:00');
  });

  it('ends a month from Saturday 14/3/2026 on Tuesday 14/4 (Art. 148.3)', () => {
    expect(due(at('2026-03-14', '10:00'), 1, 'months')).toBe('2026-04-14T17:00:00+07:00');
  });

  it('ends a 30-day period from Tuesday 31/3/2026 on Thursday 30/4, a holiday, so on Monday 4/5 (Art. 148.5)', () => {
    expect(due(at('2026-03-31', '09:00'), 30, 'days')).toBe('2026-05-04T17:00:00+07:00');
  });

  it('ends a same-day calendar period received after the office closed with the next working day', () => {
    expect(due(at('2026-03-09', '18:00'), 0, 'days')).toBe('2026-03-10T17:00:00+07:00');
    expect(due(at('2026-03-07', '10:00'), 0, 'days')).toBe('2026-03-09T17:00:00+07:00');
  });

  it('still starts working-day periods from the next working day: 1 working day from Saturday 7/3/2026 ends Tuesday 10/3', () => {
    expect(due(at('2026-03-07', '10:00'), 1, 'working_days')).toBe('2026-03-10T17:00:00+07:00');
  });
});

describe('due dates in calendar days and months', () => {
  it('ends 10 days after Monday 9/3/2026 on Thursday 19/3', () => {
    expect(due(at('2026-03-09', '09:00'), 10, 'days')).toBe('2026-03-19T17:00:00+07:00');
  });

  it('moves a last day on Saturday 14/3/2026 to Monday 16/3 (Civil Code Art. 148.5)', () => {
    expect(due(at('2026-03-09', '09:00'), 5, 'days')).toBe('2026-03-16T17:00:00+07:00');
  });

  it('moves a last day inside Tết 2026 (16/2) to Monday 23/2', () => {
    expect(due(at('2026-02-06', '09:00'), 10, 'days')).toBe('2026-02-23T17:00:00+07:00');
  });

  it('clamps 31/1 + 1 month to the end of February: 28/2/2023, and 29/2 in the leap year 2024', () => {
    expect(due(at('2023-01-31', '09:00'), 1, 'months')).toBe('2023-02-28T17:00:00+07:00');
    expect(due(at('2024-01-31', '09:00'), 1, 'months')).toBe('2024-02-29T17:00:00+07:00');
  });

  it('moves a month ending on 30/4/2026 past 30/4, 1/5 and the weekend to Monday 4/5', () => {
    expect(due(at('2026-03-31', '09:00'), 1, 'months')).toBe('2026-05-04T17:00:00+07:00');
  });
});

describe('due date inputs', () => {
  it.each<Period>([
    { value: -1, unit: 'working_days' },
    { value: 1.5, unit: 'working_days' },
    { value: 2.5, unit: 'months' },
    { value: Number.NaN, unit: 'working_hours' },
    { value: Number.POSITIVE_INFINITY, unit: 'days' },
  ])('refuses the period %j', (period) => {
    expect(() => cal.dueDate(at('2026-03-09', '09:00'), period)).toThrow(RangeError);
  });

  it('refuses an invalid Date and a malformed per-call cut-off', () => {
    expect(() => cal.dueDate(new Date('nope'), { value: 1, unit: 'days' })).toThrow(RangeError);
    expect(() =>
      cal.dueDate(at('2026-03-09', '09:00'), { value: 1, unit: 'days' }, { cutoff: '3pm' }),
    ).toThrow(RangeError);
  });
});
