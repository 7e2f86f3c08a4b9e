import type { TestResources } from '@tthc/testkit';
import type { KpiDb } from '../src/db/schema';
import { applyEvents, openKpi, startKpiApp, type AnyEvent } from './support/harness';
import { dossier, vn } from './support/dossier-events';
import { feedbackStory, procedureAbolished, procedurePublished } from './support/other-events';

let t: TestResources<KpiDb>;
let kpi: Awaited<ReturnType<typeof startKpiApp>>;

const P1 = '1.000001';
const P2 = '1.000002';
const P3 = '1.000003';
// A hand-made first quarter of 2026 (Tết is 14–22/2, so the dossiers live in March).
const procedures = [
  procedurePublished({
    code: P1,
    onlineLevel: 'full',
    feeBearing: true,
    onlinePayment: true,
    complete: true,
    validFrom: '2026-01-10',
    decisionSignedOn: '2026-01-05',
    legalBasisEffectiveFrom: '2026-01-15',
    nationalPublishedOn: '2026-01-09',
  }),
  // Amended after the quarter: the quarter's figures must not change.
  procedurePublished({
    code: P1,
    version: 2,
    onlineLevel: 'none',
    feeBearing: true,
    onlinePayment: false,
    complete: false,
    validFrom: '2026-04-10',
    decisionSignedOn: '2026-04-01',
    legalBasisEffectiveFrom: '2026-04-10',
    nationalPublishedOn: '2026-04-02',
  }),
  procedurePublished({
    code: P2,
    onlineLevel: 'partial',
    feeBearing: true,
    onlinePayment: false,
    complete: false,
    validFrom: '2026-02-12',
    decisionSignedOn: '2026-02-10',
    legalBasisEffectiveFrom: '2026-02-12',
    nationalPublishedOn: '2026-02-25',
  }),
  procedurePublished({
    code: P3,
    onlineLevel: 'none',
    feeBearing: false,
    complete: true,
    validFrom: '2025-06-01',
    decisionSignedOn: '2025-06-01',
  }),
  procedurePublished({ code: '1.000004', onlineLevel: 'full', validFrom: '2025-01-01' }),
  procedureAbolished('1.000004', '2026-02-01'),
];
const dossiers = [
  dossier({
    procedureCode: P1,
    channel: 'online',
    feesDue: 200_000,
    components: { total: 2, digitized: 2, reused: 1, fromCitizenStore: 1 },
    populationDataUsed: true,
  })
    .received(vn('2026-03-02 09:00'), vn('2026-03-13 17:00'))
    .paid(vn('2026-03-03 09:00'), true)
    .resolved(vn('2026-03-10 09:00'), { eResult: true, resultDigitized: true })
    .rated(vn('2026-03-11 09:00'), 'satisfied'),
  dossier({
    procedureCode: P1,
    channel: 'direct',
    feesDue: 200_000,
    components: { total: 2, digitized: 1, reused: 0, fromCitizenStore: 0 },
    populationDataUsed: false,
  })
    .received(vn('2026-03-02 09:00'), vn('2026-03-06 17:00'))
    .paid(vn('2026-03-03 09:00'), false)
    .resolved(vn('2026-03-09 09:00'), { eResult: false, resultDigitized: false })
    .rated(vn('2026-03-10 09:00'), 'not_satisfied'),
  dossier({
    procedureCode: P2,
    channel: 'online',
    feesDue: 200_000,
    components: { total: 2, digitized: 2, reused: 0, fromCitizenStore: 0 },
    populationDataUsed: null,
  }).received(vn('2026-03-20 09:00'), vn('2026-04-03 17:00')),
  dossier({
    procedureCode: P3,
    channel: 'direct',
    components: { total: 1, digitized: 1, reused: 0, fromCitizenStore: 0 },
    populationDataUsed: true,
  })
    .received(vn('2026-03-02 09:00'), vn('2026-03-31 17:00'))
    .supplementRequested(vn('2026-03-03 09:00'))
    .supplementCompleted(vn('2026-03-04 09:00'), vn('2026-04-01 17:00'))
    .supplementRequested(vn('2026-03-05 09:00'))
    .supplementCompleted(vn('2026-03-06 09:00'), vn('2026-04-03 17:00'))
    .resolved(vn('2026-03-09 09:00'), { eResult: true, resultDigitized: true }),
  dossier({
    procedureCode: P3,
    channel: 'online',
    components: { total: 1, digitized: 0, reused: 0, fromCitizenStore: 0 },
    populationDataUsed: true,
  })
    .received(vn('2026-03-03 09:00'), vn('2026-03-16 17:00'))
    .withdrawn(vn('2026-03-04 09:00')),
];
const feedback = [
  feedbackStory({
    receivedAt: vn('2026-03-02 09:00'),
    dueAt: vn('2026-03-16 17:00'),
    answeredAt: vn('2026-03-10 09:00'),
    onTime: true,
    rating: { at: vn('2026-03-11 09:00'), satisfaction: 'satisfied' },
  }),
  feedbackStory({ receivedAt: vn('2026-01-05 09:00'), dueAt: vn('2026-01-26 17:00') }),
  feedbackStory({
    receivedAt: vn('2026-03-02 09:00'),
    dueAt: vn('2026-03-09 17:00'),
    answeredAt: vn('2026-03-12 09:00'),
    onTime: false,
    rating: { at: vn('2026-03-13 09:00'), satisfaction: 'not_satisfied' },
  }),
].flat();

beforeAll(async () => {
  t = await openKpi();
  kpi = await startKpiApp(t);
  await applyEvents(t.db, [...procedures, ...dossiers.flatMap((d) => d.events), ...feedback] as AnyEvent[]);
});
afterAll(async () => {
  await kpi.app.close();
  await t.close();
});

type Result = {
  id: string;
  numerator: number | null;
  denominator: number | null;
  rate: number | null;
  ratePercent: number | null;
  points: number | null;
  status: string;
  note: string | null;
};
const criteria = async (query: string): Promise<Map<string, Result>> => {
  const res = await kpi.get(`/v1/kpi/indicators?${query}`);
  expect(res.status).toBe(200);
  return new Map(
    (res.body.groups as { criteria: Result[] }[]).flatMap((g) => g.criteria).map((c) => [c.id, c]),
  );
};

describe('the 766 indicator set over a hand-made quarter', () => {
  let q1: Map<string, Result>;
  beforeAll(async () => {
    q1 = await criteria('period=2026-Q1');
  });
  const expectCriterion = (id: string, numerator: number, denominator: number, points: number) =>
    expect(q1.get(id)).toMatchObject({ numerator, denominator, points, status: 'scored' });

  it('transparency: decisions on time, made public within 5 working days (across Tết), complete records', () => {
    expectCriterion('transparency.published_on_time', 1, 2, 3);
    expectCriterion('transparency.made_public_on_time', 1, 2, 2);
    expectCriterion('transparency.complete_content', 2, 3, 1.33);
  });

  it('answers N/A with the reason where the source data does not exist', () => {
    expect(q1.get('transparency.synced_national_portal')).toMatchObject({
      status: 'not_applicable',
      points: null,
      numerator: null,
    });
    expect(q1.get('transparency.synced_national_portal')?.note).toMatch(/no source data/);
    expect(q1.get('digitization.e_certified_copies')).toMatchObject({ status: 'not_applicable' });
  });

  it('progress: early or on time in the indicator view, a dossier with two supplement requests late, withdrawn on time', () => {
    expectCriterion('progress.on_time', 3, 5, 12);
    expect(q1.get('progress.on_time')?.rate).toBeCloseTo(0.6, 10);
  });

  it('online services: thresholds cap the points at the maximum', () => {
    expectCriterion('online.procedures_offered', 2, 3, 1.67);
    expectCriterion('online.services_used', 2, 2, 4);
    // 3 of 5 filed online is 60%, over the 50% threshold: full marks, not 7.2.
    expectCriterion('online.dossiers_online', 3, 5, 6);
  });

  it('online payment over fee-bearing procedures and dossiers', () => {
    expectCriterion('payment.procedures_offered', 1, 2, 1.25);
    expectCriterion('payment.procedures_used', 1, 2, 1.25);
    expectCriterion('payment.dossiers_paid_online', 1, 3, 2);
  });

  it('digitization: e-results over resolved, the rest over received; an unknown population flag is left out', () => {
    expectCriterion('digitization.e_result', 2, 3, 4);
    expectCriterion('digitization.digitized', 2, 5, 1.6);
    expectCriterion('digitization.reuse', 1, 5, 0.5);
    expectCriterion('digitization.citizen_store', 1, 5, 0.8);
    expectCriterion('digitization.population_data', 3, 4, 1.5);
    expect(q1.get('digitization.population_data')?.note).toMatch(/1 dossier/);
  });

  it('satisfaction: feedback on time and rated, dossiers neither unsatisfied, complained about nor late', () => {
    expectCriterion('satisfaction.feedback_on_time', 1, 3, 2);
    expectCriterion('satisfaction.feedback_handling', 1, 2, 3);
    expectCriterion('satisfaction.dossier_handling', 1, 3, 2.22);
  });

  it('shows rates rounded to two decimals but scores the unrounded rate', () => {
    const c = q1.get('satisfaction.dossier_handling');
    expect(c?.ratePercent).toBe(33.33);
    expect(c?.rate).toBe(1 / 3);
    expect(c?.points).toBe(2.22);
  });

  it('sums group and total points over the criteria that apply', async () => {
    const res = await kpi.get('/v1/kpi/indicators?period=2026-Q1');
    const transparency = res.body.groups.find((g: { id: string }) => g.id === 'transparency');
    expect(transparency).toMatchObject({ points: 6.33, max: 18, applicableMax: 12 });
    const sum = (res.body.groups as { criteria: Result[] }[])
      .flatMap((g) => g.criteria)
      .reduce((s, c) => s + (c.points ?? 0), 0);
    expect(res.body.total.points).toBeCloseTo(sum, 1);
    expect(res.body.total.max).toBe(98);
    expect(res.body.ruleSet.id).toBe('QD766-2023');
  });

  it('keeps a closed quarter’s procedure figures after an amendment, and counts the new version from its date', async () => {
    const q2 = await criteria('period=2026-Q2');
    // In Q2 the amended P1 is offered offline only: 1 of 3 online (P2).
    expect(q2.get('online.procedures_offered')).toMatchObject({ numerator: 1, denominator: 3 });
    expect(q1.get('online.procedures_offered')).toMatchObject({ numerator: 2, denominator: 3 });
  });

  it('gives full marks to the feedback criteria of a period without feedback, and N/A to dossier criteria without dossiers', async () => {
    const q4 = await criteria('period=2025-Q4');
    expect(q4.get('satisfaction.feedback_on_time')).toMatchObject({ status: 'full_marks_none', points: 6 });
    expect(q4.get('satisfaction.feedback_handling')).toMatchObject({ status: 'full_marks_none', points: 6 });
    expect(q4.get('progress.on_time')).toMatchObject({ status: 'not_applicable', points: null });
  });

  it('compares with the previous period and the same period last year', async () => {
    const res = await kpi.get('/v1/kpi/indicators?period=2026-Q1&compare=true');
    expect(res.body.comparison.previous.period.label).toBe('2025-Q4');
    expect(res.body.comparison.lastYear.period.label).toBe('2025-Q1');
    expect(
      res.body.comparison.previous.criteria.find((c: { id: string }) => c.id === 'progress.on_time').status,
    ).toBe('not_applicable');
  });

  it('answers one criterion with its numbers, and 404 naming the criterion for an unknown one', async () => {
    const one = await kpi.get('/v1/kpi/indicators/online.dossiers_online?period=2026-Q1');
    expect(one.status).toBe(200);
    expect(one.body.criterion).toMatchObject({ id: 'online.dossiers_online', numerator: 3, denominator: 5 });
    const unknown = await kpi.get('/v1/kpi/indicators/online.nothing?period=2026-Q1');
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ in: 'params', pointer: '/criterion' })]);
  });
});

describe('drilling down into a criterion', () => {
  it('lists, for every part of every criterion, exactly as many members as it counts', async () => {
    for (const [id, c] of await criteria('period=2026-Q1')) {
      for (const part of ['numerator', 'denominator'] as const) {
        const listed: string[] = [];
        let cursor: string | null = null;
        do {
          const res = await kpi.get(
            `/v1/kpi/indicators/${id}?period=2026-Q1&part=${part}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          );
          expect(res.status).toBe(200);
          listed.push(...res.body.drillDown.items.map((i: { code: string }) => i.code));
          cursor = res.body.drillDown.nextCursor;
        } while (cursor);
        expect({ id, part, listed: listed.length }).toEqual({ id, part, listed: c[part] ?? 0 });
      }
    }
  });

  it('lists the late dossiers of the progress criterion with why', async () => {
    const res = await kpi.get(
      '/v1/kpi/indicators/satisfaction.dossier_handling?period=2026-Q1&part=numerator',
    );
    expect(res.body.drillDown.items).toEqual([
      expect.objectContaining({ code: dossiers[0]?.code, kind: 'dossier' }),
    ]);
    const den = await kpi.get(
      '/v1/kpi/indicators/payment.procedures_offered?period=2026-Q1&part=denominator',
    );
    expect(den.body.drillDown.items.map((i: { code: string }) => i.code)).toEqual([P1, P2]);
  });
});
