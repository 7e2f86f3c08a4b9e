import { createCalendar } from '../src';

describe('a same-day procedure received after the office closed', () => {
  const cal = createCalendar({ overrides: [] });

  it('counts from the next working day: due at its end, never before the receipt', () => {
    // Monday 6/5/2024 17:00:00.001 local: after the office closed.
    const due = cal.dueDate(new Date('2024-05-06T10:00:00.001Z'), { value: 0, unit: 'working_days' });
    expect(due.toISOString()).toBe('2024-05-07T10:00:00.000Z');
  });

  it('still counts a receipt at 17:00 sharp as that day', () => {
    const due = cal.dueDate(new Date('2024-05-06T10:00:00.000Z'), { value: 1, unit: 'working_days' });
    expect(due.toISOString()).toBe('2024-05-07T10:00:00.000Z');
  });
});
