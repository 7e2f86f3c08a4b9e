import type { TestResources } from '@tthc/testkit';
import { RULE_SET_766_2023 } from '../src/db/migrations/seed/rule-set-766-2023';
import type { KpiDb } from '../src/db/schema';
import { CRITERIA, unknownCriteria } from '../src/indicators/registry';
import { IndicatorRuleSet, score } from '../src/indicators/rule-set';
import { openKpi, startKpiApp } from './support/harness';

describe('scoring a criterion', () => {
  const rule = { id: 'online.dossiers_online', max: 6, threshold: 0.5, whenNone: 'not_applicable' as const };

  it('gives max × rate / threshold up to the maximum when a threshold is set', () => {
    expect(score(rule, 1, 4)).toEqual({ rate: 0.25, points: 3, status: 'scored' });
    expect(score(rule, 3, 4).points).toBe(6);
  });

  it('gives max × rate without a threshold', () => {
    expect(score({ ...rule, threshold: null }, 1, 4).points).toBe(1.5);
  });

  it('is not applicable with nothing to count, or full marks where the rule says so', () => {
    expect(score(rule, 0, 0)).toEqual({ rate: null, points: null, status: 'not_applicable' });
    expect(score({ ...rule, whenNone: 'full_marks' }, 0, 0)).toEqual({
      rate: null,
      points: 6,
      status: 'full_marks_none',
    });
  });
});

describe('the seeded rule set of Quyết định 766', () => {
  it('reads, and names every criterion the service counts and nothing else', () => {
    const set = IndicatorRuleSet.parse(RULE_SET_766_2023);
    expect(unknownCriteria(set)).toEqual([]);
    expect(new Set(set.groups.flatMap((g) => g.criteria.map((c) => c.id)))).toEqual(new Set(CRITERIA.keys()));
  });

  it('names its legal source in every criterion', () => {
    for (const c of CRITERIA.values()) expect(c.source).toMatch(/766\/QĐ-TTg/);
  });
});

describe('rule sets through the API', () => {
  let t: TestResources<KpiDb>;
  let kpi: Awaited<ReturnType<typeof startKpiApp>>;
  beforeAll(async () => {
    t = await openKpi();
    kpi = await startKpiApp(t);
  });
  afterAll(async () => {
    await kpi.app.close();
    await t.close();
  });

  const post = async (body: unknown, roles: string[] = ['admin']) => {
    const { identityHeaders } = await import('@tthc/testkit');
    const res = await kpi.app.inject({
      method: 'POST',
      url: '/v1/kpi/rule-sets',
      payload: body as object,
      headers: await identityHeaders({
        sub: 'admin-1',
        kind: 'system',
        roles: roles as never,
        agencyCode: null,
        agencyScope: null,
      }),
    });
    return { status: res.statusCode, body: res.json() };
  };

  it('scores a period by the rule set in force on its last day: a new law is a new set', async () => {
    const newer = {
      ...RULE_SET_766_2023,
      id: 'TEST-2027',
      effectiveFrom: '2027-01-01',
      params: { ...RULE_SET_766_2023.params, progressPopulation: 'ended_in_period' },
    };
    expect((await post(newer)).status).toBe(201);
    expect((await kpi.get('/v1/kpi/indicators?period=2026-Q4')).body.ruleSet.id).toBe('QD766-2023');
    const later = await kpi.get('/v1/kpi/indicators?period=2027-Q1');
    expect(later.body.ruleSet).toMatchObject({
      id: 'TEST-2027',
      params: { progressPopulation: 'ended_in_period' },
    });
    expect((await post(newer)).status).toBe(409);
  });

  it('refuses a rule set naming a criterion the service cannot count, naming it', async () => {
    const bad = {
      ...RULE_SET_766_2023,
      id: 'BAD',
      effectiveFrom: '2028-01-01',
      groups: [
        {
          id: 'online',
          name: 'x',
          criteria: [{ id: 'online.teleport', max: 1, threshold: null, whenNone: 'not_applicable' }],
        },
      ],
    };
    const res = await post(bad);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ pointer: '/groups/0/criteria/0/id' })]);
  });

  it('lets only administrators add one', async () => {
    expect(
      (await post({ ...RULE_SET_766_2023, id: 'X', effectiveFrom: '2029-01-01' }, ['reporter'])).status,
    ).toBe(403);
  });
});
