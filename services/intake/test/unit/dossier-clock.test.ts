import { clockRunning, dueToday, isOpen, overdueAtEndOf, overdueNow } from '../../src/domain/dossier-clock';

/** Received 23/11/2026, legal due Mon 14/12, rescheduled to Fri 18/12 (dates at 17:00 in Việt Nam). */
const rescheduled = {
  status: 'processing' as const,
  due_at: new Date('2026-12-18T10:00:00Z'),
  legal_due_at: new Date('2026-12-14T10:00:00Z'),
  original_due_at: new Date('2026-12-14T10:00:00Z'),
};

describe('the dossier clock', () => {
  it('is open from receipt until the dossier ends, and runs only while nobody waits for the applicant', () => {
    expect(
      [
        'submitted',
        'received',
        'processing',
        'awaiting_supplement',
        'awaiting_payment',
        'resolved',
        'withdrawn',
      ].map((s) => [s, isOpen(s as never), clockRunning(s as never)]),
    ).toEqual([
      ['submitted', false, false],
      ['received', true, true],
      ['processing', true, true],
      ['awaiting_supplement', true, false],
      ['awaiting_payment', true, false],
      ['resolved', false, false],
      ['withdrawn', false, false],
    ]);
  });

  it('shows the desk a rescheduled dossier against its new appointment: within time on 16/12, due on 18/12', () => {
    expect(overdueNow(rescheduled, new Date('2026-12-16T03:00:00Z'))).toBe(false);
    expect(dueToday(rescheduled, new Date('2026-12-18T03:00:00Z'))).toBe(true);
    expect(overdueNow(rescheduled, new Date('2026-12-19T03:00:00Z'))).toBe(true);
  });

  it('judges the same dossier in a statistic against its legal date: overdue at the end of 14/12', () => {
    expect(overdueAtEndOf(rescheduled, '2026-12-13')).toBe(false);
    expect(overdueAtEndOf(rescheduled, '2026-12-14')).toBe(true);
  });

  it('keeps a dossier waiting for the applicant within time, whatever its dates', () => {
    const waiting = { ...rescheduled, status: 'awaiting_payment' as const };
    expect(overdueNow(waiting, new Date('2027-01-20T03:00:00Z'))).toBe(false);
    expect(overdueAtEndOf(waiting, '2027-01-20')).toBe(false);
  });
});
