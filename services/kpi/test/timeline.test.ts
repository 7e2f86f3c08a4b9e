import { asOf, endOfVnDay } from '../src/domain/as-of';
import { endingOf } from '../src/domain/ending';
import { indicatorDueDate, inProgressAt, legalDueDate, outcomeOf, overdueAt } from '../src/domain/judgement';
import { foldDossier } from '../src/domain/timeline';
import { dossier, shuffled, vn } from './support/dossier-events';

// March 2026: Mondays are the 2nd, 9th, 16th, 23rd and 30th; no holidays.
const fold = (events: Parameters<typeof foldDossier>[0]) => {
  const t = foldDossier(events);
  if (!t) throw new Error('no timeline');
  return t;
};

describe('folding a dossier’s events into its timeline', () => {
  const story = dossier()
    .received(vn('2026-03-02 09:00'), vn('2026-03-13 17:00'))
    .processing(vn('2026-03-02 10:00'))
    .supplementRequested(vn('2026-03-03 09:00'))
    .supplementCompleted(vn('2026-03-10 09:00'), vn('2026-03-31 17:00'))
    .paymentRequested(vn('2026-03-11 09:00'))
    .paid(vn('2026-03-12 09:00'), true)
    .resolved(vn('2026-03-25 09:00'))
    .rated(vn('2026-03-26 09:00'), 'not_satisfied');

  it('gives the same timeline whatever order the events arrive in, duplicates included', () => {
    const reference = fold(story.events);
    for (let seed = 1; seed <= 20; seed++) {
      const arrival = shuffled([...story.events, ...story.events.slice(0, 3)], seed);
      expect(fold(arrival)).toEqual(reference);
    }
  });

  it('keeps each wait with its start and end, and the due date each version set', () => {
    const t = fold(story.events);
    expect(t.waits.map((w) => [w.kind, w.startedAt.toISOString(), w.endedAt?.toISOString()])).toEqual([
      ['supplement', vn('2026-03-03 09:00'), vn('2026-03-10 09:00')],
      ['payment', vn('2026-03-11 09:00'), vn('2026-03-12 09:00')],
    ]);
    expect(t.receiptDueAt?.toISOString()).toBe(vn('2026-03-13 17:00'));
    expect(t.firstOnlinePaidAt?.toISOString()).toBe(vn('2026-03-12 09:00'));
    expect(t.rating).toBe('not_satisfied');
    expect(endingOf(t)).toEqual({ at: new Date(vn('2026-03-25 09:00')), kind: 'resolved' });
  });

  it('never lets an older event overwrite a newer fact: the status is the newest version’s', () => {
    const events = shuffled(story.events, 7).reverse();
    expect(fold(events).status).toBe('resolved');
  });

  it('counts a refused or never accepted dossier nowhere: it has no receipt and no end', () => {
    const refused = fold(dossier().submitted(vn('2026-03-02 09:00')).refused(vn('2026-03-03 09:00')).events);
    expect(refused.receivedAt).toBeNull();
    expect(endingOf(refused)).toBeNull();
    const withdrawnUnaccepted = fold(
      dossier().submitted(vn('2026-03-02 09:00')).withdrawn(vn('2026-03-03 09:00')).events,
    );
    expect(endingOf(withdrawnUnaccepted)).toBeNull();
  });
});

describe('timeliness in the legal view (Biểu 06)', () => {
  const received = (due = '2026-03-13 17:00') => dossier().received(vn('2026-03-02 09:00'), vn(due));

  it('judges by dates in Việt Nam: before the due date early, on it on time, after it late', () => {
    expect(outcomeOf(fold(received().resolved(vn('2026-03-12 16:59')).events), 'legal')).toBe('early');
    expect(outcomeOf(fold(received().resolved(vn('2026-03-13 23:59')).events), 'legal')).toBe('on_time');
    expect(outcomeOf(fold(received().resolved(vn('2026-03-14 00:00')).events), 'legal')).toBe('late');
  });

  it('judges a rescheduled dossier late against its original due date', () => {
    const t = fold(
      received().rescheduled(vn('2026-03-10 09:00'), vn('2026-03-20 17:00')).resolved(vn('2026-03-18 09:00'))
        .events,
    );
    expect(t.rescheduledDueAt?.toISOString()).toBe(vn('2026-03-20 17:00'));
    expect(outcomeOf(t, 'legal')).toBe('late');
    expect(outcomeOf(t, 'indicator')).toBe('late');
  });

  it('puts withdrawn and stopped dossiers in the on-time column whatever their date', () => {
    expect(outcomeOf(fold(received().withdrawn(vn('2026-03-30 09:00')).events), 'legal')).toBe('on_time');
    expect(outcomeOf(fold(received().stopped(vn('2026-03-30 09:00')).events), 'legal')).toBe('on_time');
    expect(outcomeOf(fold(received().stopped(vn('2026-03-30 09:00')).events), 'indicator')).toBe('on_time');
  });

  it('stops the clock while the applicant pays: the wait’s working days move the due date', () => {
    // Waiting Mon 9/3 to Mon 16/3: five working days (10, 11, 12, 13, 16), so due 13/3 becomes 20/3.
    const story = received().paymentRequested(vn('2026-03-09 09:00')).paid(vn('2026-03-16 09:00'), false);
    expect(legalDueDate(fold(story.events), new Date(vn('2026-03-17 09:00')))).toBe('2026-03-20');
    expect(outcomeOf(fold(story.resolved(vn('2026-03-20 10:00')).events), 'legal')).toBe('on_time');
  });

  it('adds the payment wait itself for events written before intake stated the legal date', () => {
    const story = dossier({ legacyClock: true })
      .received(vn('2026-03-02 09:00'), vn('2026-03-13 17:00'))
      .paymentRequested(vn('2026-03-09 09:00'))
      .paid(vn('2026-03-16 09:00'), false);
    expect(fold(story.events).legalClock).toBe(false);
    expect(legalDueDate(fold(story.events), new Date(vn('2026-03-17 09:00')))).toBe('2026-03-20');
  });

  it('follows intake when its rule set lets a payment wait count: the legal date stays', () => {
    const story = dossier({ paymentWait: 'count' })
      .received(vn('2026-03-02 09:00'), vn('2026-03-13 17:00'))
      .paymentRequested(vn('2026-03-09 09:00'))
      .paid(vn('2026-03-16 09:00'), false)
      .resolved(vn('2026-03-17 10:00'));
    expect(outcomeOf(fold(story.events), 'legal')).toBe('late');
  });

  it('restarts the legal clock when a supplement is completed', () => {
    const t = fold(
      received()
        .supplementRequested(vn('2026-03-03 09:00'))
        .supplementCompleted(vn('2026-03-10 09:00'), vn('2026-03-31 17:00'))
        .resolved(vn('2026-03-25 09:00')).events,
    );
    expect(outcomeOf(t, 'legal')).toBe('early');
  });
});

describe('timeliness in the indicator view (Quyết định 766)', () => {
  it('subtracts the supplement waiting time from the processing time instead of restarting it', () => {
    // Waiting Tue 3/3 to Tue 10/3: five working days, so the receipt's due date 13/3 becomes 20/3.
    const story = dossier()
      .received(vn('2026-03-02 09:00'), vn('2026-03-13 17:00'))
      .supplementRequested(vn('2026-03-03 09:00'))
      .supplementCompleted(vn('2026-03-10 09:00'), vn('2026-03-31 17:00'));
    expect(indicatorDueDate(fold(story.events), new Date(vn('2026-03-11 00:00')))).toBe('2026-03-20');
    expect(outcomeOf(fold(story.resolved(vn('2026-03-20 15:00')).events), 'indicator')).toBe('on_time');
    const later = dossier()
      .received(vn('2026-03-02 09:00'), vn('2026-03-13 17:00'))
      .supplementRequested(vn('2026-03-03 09:00'))
      .supplementCompleted(vn('2026-03-10 09:00'), vn('2026-03-31 17:00'))
      .resolved(vn('2026-03-25 09:00'));
    expect(outcomeOf(fold(later.events), 'indicator')).toBe('late');
    expect(outcomeOf(fold(later.events), 'legal')).toBe('early');
  });

  it('counts a dossier with more than one supplement request as late, however early it ended', () => {
    const t = fold(
      dossier()
        .received(vn('2026-03-02 09:00'), vn('2026-03-31 17:00'))
        .supplementRequested(vn('2026-03-03 09:00'))
        .supplementCompleted(vn('2026-03-04 09:00'), vn('2026-04-03 17:00'))
        .supplementRequested(vn('2026-03-05 09:00'))
        .supplementCompleted(vn('2026-03-06 09:00'), vn('2026-04-07 17:00'))
        .resolved(vn('2026-03-09 09:00')).events,
    );
    expect(outcomeOf(t, 'indicator')).toBe('late');
    expect(outcomeOf(t, 'legal')).toBe('early');
    expect(overdueAt(t, '2026-03-06', 'indicator')).toBe(true);
  });

  it('stops the clock for payment waits too', () => {
    const t = fold(
      dossier()
        .received(vn('2026-03-02 09:00'), vn('2026-03-13 17:00'))
        .paymentRequested(vn('2026-03-09 09:00'))
        .paid(vn('2026-03-16 09:00'), true)
        .resolved(vn('2026-03-19 09:00')).events,
    );
    expect(outcomeOf(t, 'indicator')).toBe('early');
  });
});

describe('in progress at the end of a day', () => {
  const t = fold(
    dossier()
      .received(vn('2026-03-02 09:00'), vn('2026-03-13 17:00'))
      .paymentRequested(vn('2026-03-16 09:00'))
      .paid(vn('2026-03-18 09:00'), false)
      .resolved(vn('2026-04-07 09:00')).events,
  );

  it('is within time before its due date and overdue from the due date on', () => {
    expect(overdueAt(t, '2026-03-12', 'legal')).toBe(false);
    expect(overdueAt(t, '2026-03-13', 'legal')).toBe(true);
  });

  it('is within time while the applicant is to pay, and judged against the moved date after', () => {
    expect(overdueAt(t, '2026-03-16', 'legal')).toBe(false);
    expect(overdueAt(t, '2026-03-17', 'legal')).toBe(false);
    // Paid 18/3 after two working days of waiting (17, 18): due 13/3 + 2 = 17/3, so overdue again.
    expect(overdueAt(t, '2026-03-18', 'legal')).toBe(true);
  });

  it('reads a dossier received in one quarter and resolved in the next as in progress at the first quarter’s end', () => {
    expect(inProgressAt(t, '2026-03-31')).toBe(true);
    expect(endingOf(asOf(t, endOfVnDay('2026-03-31')))).toBeNull();
    expect(inProgressAt(t, '2026-04-07')).toBe(false);
    expect(overdueAt(t, '2026-04-07', 'legal')).toBe(false);
  });
});
