describe('a same-day procedure received after the office closed', () => {
  it('is due at the end of the next working day, never before its receipt', async () => {
    const { createCalendar } = await import('../src');
    const cal = createCalendar({ overrides: [] });
    // Monday 6/5/2024 17:00:00.001 local: too late for that day's 17:00.
    const due = cal.dueDate(new Date('2024-05-06T10:00:00.001Z'), { value: 0, unit: 'working_days' });
    expect(due.toISOString()).toBe('2024-05-07T10:00:00.000Z');
  });
});
