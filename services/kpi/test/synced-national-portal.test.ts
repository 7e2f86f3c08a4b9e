import { identityHeaders, type TestResources } from '@tthc/testkit';
import { RULE_SET_766_2023 } from '../src/db/migrations/seed/rule-set-766-2023';
import type { KpiDb } from '../src/db/schema';
import { dossier, vn } from './support/dossier-events';
import { applyEvents, openKpi, startKpiApp } from './support/harness';

/** Dossiers synced to the national portal (766, nhóm 1 chỉ số 4): synced / received, from intake's sync facts. */
let t: TestResources<KpiDb>;
let kpi: Awaited<ReturnType<typeof startKpiApp>>;

beforeAll(async () => {
  t = await openKpi();
  kpi = await startKpiApp(t);
  const synced = dossier().received(vn('2026-03-02 09:00'), vn('2026-03-13 17:00'));
  synced.nationalSynced(vn('2026-03-02 09:05'), vn('2026-03-02 09:00'));
  // Its receipt reached the national portal only in April: not synced as of the end of March.
  const late = dossier().received(vn('2026-03-30 09:00'), vn('2026-04-10 17:00'));
  late.nationalSynced(vn('2026-04-02 09:00'), vn('2026-03-30 09:00'));
  const never = dossier({ channel: 'direct' }).received(vn('2026-03-03 09:00'), vn('2026-03-16 17:00'));
  await applyEvents(t.db, [...synced.events, ...late.events, ...never.events]);
});
afterAll(async () => {
  await kpi.app.close();
  await t.close();
});

const criterion = async (period: string) => {
  const res = await kpi.get(`/v1/kpi/indicators?period=${period}`);
  expect(res.status).toBe(200);
  return (res.body.groups as { criteria: { id: string }[] }[])
    .flatMap((g) => g.criteria)
    .find((c) => c.id === 'transparency.synced_national_portal') as Record<string, unknown>;
};

describe('dossiers synced to the national portal', () => {
  it('is not applicable while the rule set names no sync', async () => {
    expect(await criterion('2026-03')).toMatchObject({ status: 'not_applicable' });
  });

  it('counts the dossiers whose receipt had reached the national portal by the end of the period', async () => {
    const res = await kpi.app.inject({
      method: 'POST',
      url: '/v1/kpi/rule-sets',
      payload: {
        ...RULE_SET_766_2023,
        id: 'QD766-SYNC',
        effectiveFrom: '2026-01-01',
        params: { ...RULE_SET_766_2023.params, nationalSyncFrom: '2026-02-01' },
      },
      headers: await identityHeaders({
        sub: 'admin-1',
        kind: 'system',
        roles: ['admin'],
        agencyCode: null,
        agencyScope: null,
      }),
    });
    expect(res.statusCode).toBe(201);
    expect(await criterion('2026-03')).toMatchObject({
      numerator: 1,
      denominator: 3,
      status: 'scored',
      points: 2,
    });
    // The same dossiers over a period ending after the late sync: two of three.
    expect(await criterion('2026-Q2')).toMatchObject({ status: 'not_applicable' });
    expect(await criterion('2026-H1')).toMatchObject({ numerator: 2, denominator: 3 });
  });

  it('lists the synced dossiers when drilled into', async () => {
    const res = await kpi.get(
      '/v1/kpi/indicators/transparency.synced_national_portal?period=2026-03&part=numerator&limit=50',
    );
    expect(res.status).toBe(200);
    expect(res.body.drillDown.items).toHaveLength(1);
  });
});
