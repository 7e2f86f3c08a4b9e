import { addDays, addMonths, parseCivilDate, weekday } from '../src/civil-date';
import { type LunarCalendarSource, vietnameseLunarCalendar } from '../src/lunar';
import { toVnIsoString, vnDate, vnInstant } from '../src/vn-date';
import { createCalendar } from '../src/working-calendar';
import * as calendarPackage from '../src';

describe('civil dates', () => {
  it('adds days across months and years, backwards too', () => {
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('clamps month arithmetic to the end of the target month', () => {
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2025-03-31', -1)).toBe('2025-02-28');
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
  });

  it('knows that 2/9/2024 was a Monday and 14/2/2026 a Saturday', () => {
    expect(weekday('2024-09-02')).toBe(1);
    expect(weekday('2026-02-14')).toBe(6);
  });

  it.each(['2025-02-29', '2025-2-3', '25/01/2025', '2025-13-01', ''])(
    'refuses %j as a civil date',
    (text) => {
      expect(() => parseCivilDate(text)).toThrow(RangeError);
    },
  );
});

describe('Việt Nam time (UTC+7, fixed)', () => {
  it('gives the civil date of an instant in Việt Nam: New Year starts at 17:00 UTC on 31/12', () => {
    expect(vnDate(new Date('2025-12-31T16:59:59.999Z'))).toBe('2025-12-31');
    expect(vnDate(new Date('2025-12-31T17:00:00Z'))).toBe('2026-01-01');
  });

  it('builds the instant of a local wall-clock time and prints it with its offset', () => {
    expect(vnInstant('2026-02-26', '17:00').toISOString()).toBe('2026-02-26T10:00:00.000Z');
    expect(toVnIsoString(new Date('2026-02-26T10:00:00Z'))).toBe('2026-02-26T17:00:00+07:00');
  });

  it("gives the same answers whatever the server's time zone", () => {
    const saved = process.env['TZ'];
    const answers = () => {
      const cal = createCalendar({ overrides: [] });
      return [
        vnDate(new Date('2026-03-08T18:00:00Z')),
        cal.dueDate(new Date('2026-03-08T18:00:00Z'), { value: 4, unit: 'working_hours' }).toISOString(),
      ];
    };
    try {
      process.env['TZ'] = 'UTC';
      const inUtc = answers();
      process.env['TZ'] = 'America/Los_Angeles';
      expect(answers()).toEqual(inUtc);
      expect(inUtc).toEqual(['2026-03-09', '2026-03-09T04:30:00.000Z']);
    } finally {
      if (saved === undefined) delete process.env['TZ'];
      else process.env['TZ'] = saved;
    }
  });
});

describe('calendar settings', () => {
  it('uses its own office hours for the end of day and for hour arithmetic', () => {
    const cal = createCalendar({
      overrides: [],
      officeHours: [
        { start: '08:00', end: '12:00' },
        { start: '13:30', end: '17:30' },
      ],
    });
    expect(toVnIsoString(cal.endOfDay('2026-03-09'))).toBe('2026-03-09T17:30:00+07:00');
    expect(
      toVnIsoString(cal.dueDate(vnInstant('2026-03-09', '11:00'), { value: 2, unit: 'working_hours' })),
    ).toBe('2026-03-09T14:30:00+07:00');
    expect(
      toVnIsoString(cal.dueDate(vnInstant('2026-03-09', '09:00'), { value: 1, unit: 'working_days' })),
    ).toBe('2026-03-10T17:30:00+07:00');
  });

  it.each([
    ['no blocks', { officeHours: [] }],
    ['a block ending before it starts', { officeHours: [{ start: '13:00', end: '11:30' }] }],
    [
      'overlapping blocks',
      {
        officeHours: [
          { start: '07:30', end: '12:00' },
          { start: '11:30', end: '17:00' },
        ],
      },
    ],
    ['a clock without a leading zero', { officeHours: [{ start: '7:30', end: '11:30' }] }],
    ['a malformed cut-off', { cutoff: '15h' }],
    [
      'an impossible override date',
      { overrides: [{ date: '2026-02-30', kind: 'holiday' as const, reason: 'x' }] },
    ],
  ])('refuses %s', (_what, partial) => {
    expect(() => createCalendar({ overrides: [], ...partial })).toThrow(RangeError);
  });

  it('refuses an override of unknown kind coming from untyped data', () => {
    const row = JSON.parse('{"date":"2026-03-09","kind":"day_off","reason":"x"}') as never;
    expect(() => createCalendar({ overrides: [row] })).toThrow(/unknown kind/);
  });
});

describe('lunar source and caching', () => {
  it('computes a year once and takes the lunar calendar it is given', () => {
    let conversions = 0;
    const counting: LunarCalendarSource = {
      toSolar: (date) => {
        conversions++;
        return vietnameseLunarCalendar.toSolar(date);
      },
      fromSolar: (date) => vietnameseLunarCalendar.fromSolar(date),
    };
    const cal = createCalendar({ overrides: [] }, counting);
    expect(cal.isWorkingDay('2026-02-17')).toBe(false);
    const afterFirstYear = conversions;
    expect(afterFirstYear).toBeGreaterThan(0);
    for (const date of ['2026-02-16', '2026-04-26', '2026-09-01', '2026-12-31']) cal.isWorkingDay(date);
    cal.holidays(2026);
    expect(conversions).toBe(afterFirstYear);
  });
});

describe('package entry point', () => {
  it('exports the calendar API and keeps vnDate for the services', () => {
    expect(Object.keys(calendarPackage)).toEqual(
      expect.arrayContaining([
        'vnDate',
        'createCalendar',
        'OFFICIAL_DAYS_2024_2026',
        'timeliness',
        'isOverdueAt',
        'isOverdueNow',
        'addDays',
        'vietnameseLunarCalendar',
      ]),
    );
  });
});
