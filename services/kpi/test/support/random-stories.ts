import fc from 'fast-check';
import { addDays, vnInstant } from '@tthc/calendar';
import { dossier, type DossierStory } from './dossier-events';

const BASE = '2026-01-05';

type Step =
  | { kind: 'supplement'; after: number; lasts: number | null }
  | { kind: 'payment'; after: number; lasts: number | null; online: boolean }
  | { kind: 'reschedule'; after: number; by: number };

export interface Plan {
  receivedDay: number;
  minute: number;
  dueIn: number;
  neverReceived: boolean;
  channel: 'online' | 'direct' | 'postal';
  agency: number;
  field: number;
  procedure: number;
  fees: boolean;
  steps: Step[];
  end: { kind: 'resolve' | 'withdraw' | 'stop' | 'none'; after: number; returned: boolean; eResult: boolean };
  paidOnlineAfterEnd: number | null;
  rating: { after: number; value: 'satisfied' | 'normal' | 'not_satisfied' } | null;
}

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('supplement' as const),
    after: fc.integer({ min: 0, max: 10 }),
    lasts: fc.option(fc.integer({ min: 0, max: 12 }), { freq: 4 }),
  }),
  fc.record({
    kind: fc.constant('payment' as const),
    after: fc.integer({ min: 0, max: 10 }),
    lasts: fc.option(fc.integer({ min: 0, max: 12 }), { freq: 4 }),
    online: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('reschedule' as const),
    after: fc.integer({ min: 0, max: 5 }),
    by: fc.integer({ min: 1, max: 10 }),
  }),
);

/** A dossier's life drawn at random over the first half of 2026, near quarter boundaries often. */
export const plan: fc.Arbitrary<Plan> = fc.record({
  receivedDay: fc.oneof(fc.integer({ min: 0, max: 150 }), fc.integer({ min: 70, max: 95 })),
  minute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
  dueIn: fc.integer({ min: 0, max: 25 }),
  neverReceived: fc.boolean().map((b) => b && Math.random() < 0.2),
  channel: fc.constantFrom('online', 'direct', 'postal'),
  agency: fc.integer({ min: 0, max: 2 }),
  field: fc.integer({ min: 0, max: 1 }),
  procedure: fc.integer({ min: 0, max: 2 }),
  fees: fc.boolean(),
  steps: fc.array(step, { maxLength: 3 }),
  end: fc.record({
    kind: fc.constantFrom('resolve', 'resolve', 'resolve', 'withdraw', 'stop', 'none'),
    after: fc.integer({ min: 0, max: 40 }),
    returned: fc.boolean(),
    eResult: fc.boolean(),
  }),
  paidOnlineAfterEnd: fc.option(fc.integer({ min: 0, max: 20 }), { freq: 3 }),
  rating: fc.option(
    fc.record({
      after: fc.integer({ min: 0, max: 30 }),
      value: fc.constantFrom('satisfied', 'normal', 'not_satisfied'),
    }),
    { freq: 2 },
  ),
});

const AGENCIES = ['000.00.17.H55', '000.01.17.H55', '000.02.17.H55'];
const FIELDS = ['DUOC_PHAM', 'KHAM_CHUA_BENH'];

/** The events of a planned dossier, steps in time order, each a day or more after the last (days counted from `base`). */
export function storyOf(p: Plan, base: string = BASE): DossierStory {
  const at = (day: number, minutes: number) => vnInstant(addDays(base, day), minutes).toISOString();
  const s = dossier({
    channel: p.channel,
    agencyCode: AGENCIES[p.agency],
    fieldCode: FIELDS[p.field],
    procedureCode: `1.00457${p.procedure}`,
    feesDue: p.fees ? 200_000 : 0,
    components: {
      total: 2,
      digitized: p.procedure === 0 ? 2 : 1,
      reused: p.agency === 1 ? 1 : 0,
      fromCitizenStore: p.field,
    },
    populationDataUsed: p.procedure === 2 ? null : p.field === 0,
  });
  let day = p.receivedDay;
  if (p.neverReceived) return s.submitted(at(day, p.minute)).refused(at(day + 1, 600));
  s.received(at(day, p.minute), at(day + p.dueIn, 17 * 60));
  let rescheduled = false;
  for (const st of p.steps) {
    day += st.after + 1;
    if (st.kind === 'reschedule') {
      if (rescheduled) continue;
      rescheduled = true;
      s.rescheduled(at(day, 600), at(day + p.dueIn + st.by, 17 * 60));
      continue;
    }
    if (st.kind === 'supplement') s.supplementRequested(at(day, 540));
    else s.paymentRequested(at(day, 540));
    if (st.lasts === null) return s; // the applicant never answered
    day += st.lasts;
    if (st.kind === 'supplement') s.supplementCompleted(at(day, 560), at(day + p.dueIn, 17 * 60));
    else s.paid(at(day, 560), st.online);
  }
  if (p.end.kind === 'none') return s;
  day += p.end.after;
  const endAt = at(day, 900);
  if (p.end.kind === 'withdraw') return s.withdrawn(endAt);
  if (p.end.kind === 'stop') return s.stopped(endAt);
  s.resolved(endAt, { eResult: p.end.eResult, resultDigitized: p.end.eResult });
  if (p.paidOnlineAfterEnd !== null && p.fees) s.paid(at(day + p.paidOnlineAfterEnd, 600), true);
  if (p.end.returned) s.returned(at(day + 1, 600));
  if (p.rating) s.rated(at(day + 1 + p.rating.after, 700), p.rating.value);
  return s;
}
