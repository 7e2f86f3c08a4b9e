import type { Identity } from '@tthc/contracts';
import { identityHeaders, type TestResources } from '@tthc/testkit';
import type { KpiDb } from '../src/db/schema';
import { writeSheet } from '../src/sheets/read-sheet';
import { scorecardForReport } from '../src/targets/scorecard-job';
import { dossier, vn } from './support/dossier-events';
import { applyEvents, openKpi, startKpiApp, type AnyEvent } from './support/harness';

/**
 * Targets, scorecards and reform-index frameworks through kpi's API on a real database: Sở Y tế
 * (000.00.17.H55) and its Chi cục (000.01.17.H55) with a few dossiers in 2026.
 */
const SYT = '000.00.17.H55';
const CHICUC = '000.01.17.H55';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let t: TestResources<KpiDb>;
let kpi: Awaited<ReturnType<typeof startKpiApp>>;

const who = {
  admin: { sub: 'admin-1', roles: ['admin'], agencyCode: null, agencyScope: null },
  leader: { sub: 'leader.syt', roles: ['leader'], agencyCode: SYT, agencyScope: [SYT, CHICUC] },
  chicucLeader: { sub: 'leader.chicuc', roles: ['leader'], agencyCode: CHICUC, agencyScope: [CHICUC] },
  reporter: { sub: 'reporter-1', roles: ['reporter'], agencyCode: null, agencyScope: null },
  selfAssessor: {
    sub: 'assessor.syt',
    roles: ['assessor'],
    agencyCode: SYT,
    agencyScope: [SYT, CHICUC],
    person: { id: 'nguyen.thi.mai', name: 'Nguyễn Thị Mai', unit: 'Văn phòng Sở' },
  },
  appraiser: { sub: 'appraiser.snv', roles: ['assessor'], agencyCode: '000.00.00.H55', agencyScope: null },
} satisfies Record<string, Partial<Identity>>;

async function call(
  identity: Partial<Identity>,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
  contentType?: string,
) {
  const headers = await identityHeaders({ kind: 'officer', ...identity } as Identity);
  const res = await kpi.app.inject({
    method,
    url,
    headers: contentType ? { ...headers, 'content-type': contentType } : headers,
    ...(payload === undefined ? {} : { payload: payload as string }),
  });
  return {
    status: res.statusCode,
    type: String(res.headers['content-type'] ?? ''),
    body: res.body ? JSON.parse(res.body) : undefined,
  };
}

beforeAll(async () => {
  t = await openKpi();
  kpi = await startKpiApp(t);
  // Sở Y tế, March 2026: 3 dossiers online of 4, one resolved early, one on time; Chi cục: 1 direct, late.
  const stories = [
    dossier({ agencyCode: SYT, channel: 'online' })
      .received(vn('2026-03-02 09:00'), vn('2026-03-13 17:00'))
      .resolved(vn('2026-03-05 09:00'), { resultDigitized: true }),
    dossier({ agencyCode: SYT, channel: 'online' })
      .received(vn('2026-03-03 09:00'), vn('2026-03-10 17:00'))
      .resolved(vn('2026-03-10 15:00'), { resultDigitized: true }),
    dossier({ agencyCode: SYT, channel: 'online' }).received(vn('2026-03-04 09:00'), vn('2026-05-29 17:00')),
    dossier({ agencyCode: SYT, channel: 'direct' }).received(vn('2026-01-06 09:00'), vn('2026-05-29 17:00')),
    dossier({ agencyCode: CHICUC, channel: 'direct' })
      .received(vn('2026-03-02 09:00'), vn('2026-03-04 17:00'))
      .resolved(vn('2026-03-09 09:00'), { resultDigitized: false }),
  ];
  await applyEvents(t.db, stories.flatMap((s) => s.events) as AnyEvent[]);
});
afterAll(async () => {
  await kpi.app.close();
  await t.close();
});

describe('targets', () => {
  it('are set by leaders within their agencies, changed with a trail', async () => {
    const set = (value: number) =>
      call(who.leader, 'PUT', '/v1/kpi/targets', {
        agencyCode: SYT,
        year: 2026,
        indicator: 'criterion:online.dossiers_online',
        comparator: 'at_least',
        value,
        note: 'Kế hoạch 45/KH-UBND',
      });
    expect((await set(55)).status).toBe(200);
    const changed = await set(60);
    expect(changed.body).toMatchObject({ value: 60, updatedBy: 'leader.syt' });
    const trail = await call(
      who.leader,
      'GET',
      `/v1/kpi/reform-audit?entity=target&entityId=${changed.body.id}`,
    );
    expect(trail.body.items.map((e: any) => [e.action, e.before?.value ?? null, e.after.value])).toEqual([
      ['changed', 55, 60],
      ['created', null, 55],
    ]);
    // A Chi cục leader cannot set its parent's targets; a reporter sets none.
    const outside = await call(who.chicucLeader, 'PUT', '/v1/kpi/targets', {
      agencyCode: SYT,
      year: 2026,
      indicator: 'criterion:online.dossiers_online',
      comparator: 'at_least',
      value: 1,
    });
    expect(outside.status).toBe(403);
    const reporter = await call(who.reporter, 'PUT', '/v1/kpi/targets', {
      agencyCode: SYT,
      year: 2026,
      indicator: 'criterion:online.dossiers_online',
      comparator: 'at_least',
      value: 1,
    });
    expect(reporter.status).toBe(403);
  });

  it('refuse an unknown indicator and a rate above 100%, naming the field', async () => {
    const res = await call(who.leader, 'PUT', '/v1/kpi/targets', {
      agencyCode: SYT,
      year: 2026,
      indicator: 'criterion:online.nope',
      comparator: 'at_least',
      value: 60,
    });
    expect(res.status).toBe(422);
    expect(res.type).toContain('application/problem+json');
    expect(res.body.errors).toEqual([expect.objectContaining({ in: 'body', pointer: '/indicator' })]);
    const high = await call(who.leader, 'PUT', '/v1/kpi/targets', {
      agencyCode: SYT,
      year: 2026,
      indicator: 'figure:resolved_early',
      comparator: 'at_least',
      value: 120,
    });
    expect(high.body.errors).toEqual([expect.objectContaining({ pointer: '/value' })]);
  });

  it('import from XLSX all or nothing: broken rows named, nothing stored', async () => {
    const header = ['Mã cơ quan', 'Năm', 'Chỉ số', 'So sánh', 'Giá trị'];
    const broken = await writeSheet('Chỉ tiêu', header, [
      [SYT, 2026, 'figure:resolved_early', '>=', 20],
      [SYT, 2026, 'figure:nope', '>=', 20],
      ['sở y tế', 2026, 'figure:results_digitized', '=', 100],
      [CHICUC, 2026, 'figure:results_digitized', 'more', 'x'],
    ]);
    const res = await call(who.leader, 'POST', '/v1/kpi/targets/import', broken, XLSX);
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: any) => e.pointer)).toEqual([
      '/rows/3/indicator',
      '/rows/4/agencyCode',
      '/rows/5/comparator',
      '/rows/5/value',
    ]);
    const listed = await call(who.leader, 'GET', '/v1/kpi/targets?year=2026');
    expect(listed.body.items.map((x: any) => x.indicator)).toEqual(['criterion:online.dossiers_online']);

    const good = await writeSheet('Chỉ tiêu', header, [
      [SYT, 2026, 'figure:resolved_early', '>=', 20],
      [SYT, 2026, 'figure:results_digitized', '=', 100],
      [CHICUC, 2026, 'figure:results_digitized', '=', 100],
    ]);
    const ok = await call(who.leader, 'POST', '/v1/kpi/targets/import', good, XLSX);
    expect(ok.status).toBe(200);
    expect(ok.body.imported).toBe(3);
  });

  it('are removed by a leader within scope, the removal kept in the trail', async () => {
    const extra = await call(who.leader, 'PUT', '/v1/kpi/targets', {
      agencyCode: CHICUC,
      year: 2026,
      indicator: 'figure:received',
      comparator: 'at_most',
      value: 500,
    });
    expect(extra.status).toBe(200);
    expect((await call(who.reporter, 'DELETE', `/v1/kpi/targets/${extra.body.id}`)).status).toBe(403);
    expect((await call(who.chicucLeader, 'DELETE', `/v1/kpi/targets/${extra.body.id}`)).status).toBe(204);
    const trail = await call(
      who.reporter,
      'GET',
      `/v1/kpi/reform-audit?entity=target&entityId=${extra.body.id}`,
    );
    expect(trail.body.items.map((e: any) => [e.action, e.actor])).toEqual([
      ['deleted', 'leader.chicuc'],
      ['created', 'leader.syt'],
    ]);
    const left = await call(who.chicucLeader, 'GET', '/v1/kpi/targets?year=2026');
    expect(left.body.items.map((x: any) => [x.agencyCode, x.indicator])).toEqual([
      [CHICUC, 'figure:results_digitized'],
    ]);
  });
});

describe('the scorecard', () => {
  it('shows each target with its actual value, met or not, the gap and the monthly trend; sub-agencies beside', async () => {
    const res = await call(who.leader, 'GET', `/v1/kpi/scorecards?agencyCode=${SYT}&period=2026-Q1`);
    expect(res.status).toBe(200);
    const line = (id: string) => res.body.lines.find((l: any) => l.indicator === id);
    // Received in Q1 by Sở Y tế and Chi cục: 3 online of 5 = 60%: met exactly.
    expect(line('criterion:online.dossiers_online')).toMatchObject({ actual: 60, met: true, gap: 0 });
    // Ended: 3 (one early, one on time, one late): 33.33% early, target 20%.
    expect(line('figure:resolved_early')).toMatchObject({ actual: 33.33, met: true, gap: 13.33 });
    // Results digitized: 2 of 3 resolved.
    expect(line('figure:results_digitized')).toMatchObject({ actual: 66.67, met: false, gap: -33.33 });
    expect(line('criterion:online.dossiers_online').trend).toEqual([
      { month: '2026-01', actual: 0, met: false },
      { month: '2026-02', actual: null, met: null },
      { month: '2026-03', actual: 75, met: true },
    ]);
    expect(res.body.summary).toEqual({ targets: 3, met: 2, notMet: 1, noData: 0 });
    expect(res.body.subAgencies).toHaveLength(1);
    expect(res.body.subAgencies[0]).toMatchObject({ agencyCode: CHICUC, summary: { met: 0, notMet: 1 } });
  });

  it('is refused for an agency outside a scoped reader', async () => {
    expect(
      (await call(who.chicucLeader, 'GET', `/v1/kpi/scorecards?agencyCode=${SYT}&period=2026`)).status,
    ).toBe(403);
    const own = await call(who.chicucLeader, 'GET', `/v1/kpi/scorecards?period=2026`);
    expect(own.body).toMatchObject({ agencyCode: CHICUC, agencies: [CHICUC] });
  });
});

const FRAMEWORK = {
  code: 'PAR-SYT',
  year: 2026,
  name: 'Chỉ số cải cách hành chính cấp sở 2026',
  areas: [
    {
      code: '6',
      name: 'Hiện đại hóa hành chính',
      maxPoints: 16,
      children: [
        { code: '6.1', name: 'Ứng dụng công nghệ thông tin', maxPoints: 5.5, scoring: { kind: 'manual' } },
        {
          code: '6.2',
          name: 'Dịch vụ công trực tuyến',
          maxPoints: 1.5,
          scoring: {
            kind: 'computed',
            indicator: 'criterion:online.dossiers_online',
            rule: {
              kind: 'thresholds',
              steps: [
                { atLeast: 50, points: 1.2 },
                { atLeast: 80, points: 1.5 },
              ],
            },
          },
        },
        {
          code: '6.3',
          name: 'Số hóa kết quả',
          maxPoints: 9,
          scoring: {
            kind: 'computed',
            indicator: 'figure:results_digitized',
            rule: { kind: 'linear', upTo: 100 },
          },
        },
      ],
    },
  ],
};

describe('a reform-index framework', () => {
  it('is created by administrators only, and refused when children exceed their parent', async () => {
    expect((await call(who.leader, 'POST', '/v1/kpi/frameworks', FRAMEWORK)).status).toBe(403);
    const broken = structuredClone(FRAMEWORK);
    broken.areas[0]!.children[0]!.maxPoints = 6;
    const refused = await call(who.admin, 'POST', '/v1/kpi/frameworks', broken);
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ pointer: '/areas/0/maxPoints' })]);
    expect((await call(who.admin, 'POST', '/v1/kpi/frameworks', FRAMEWORK)).status).toBe(201);
  });

  it('takes manual scores with evidence within bounds, the appraisal winning, and rolls the total up', async () => {
    const score = (identity: Partial<Identity>, body: Record<string, unknown>) =>
      call(identity, 'POST', '/v1/kpi/frameworks/PAR-SYT/2026/scores', {
        agencyCode: SYT,
        criterion: '6.1',
        stage: 'self',
        comment: 'Chữ ký số cho lãnh đạo phòng',
        evidence: [{ documentNumber: '125/BC-SYT', attachmentName: 'bao-cao-cntt.pdf' }],
        ...body,
      });
    const above = await score(who.selfAssessor, { points: 5.51 });
    expect(above.status).toBe(422);
    expect(above.body.errors).toEqual([expect.objectContaining({ pointer: '/points' })]);
    expect((await score(who.selfAssessor, { points: -1 })).body.errors[0].pointer).toBe('/points');
    expect((await score(who.selfAssessor, { criterion: '6.2', points: 1 })).body.errors[0].pointer).toBe(
      '/criterion',
    );
    expect((await score(who.selfAssessor, { points: 4, stage: 'appraisal' })).status).toBe(403);
    expect((await score(who.leader, { points: 4 })).status).toBe(403);

    const self = await score(who.selfAssessor, { points: 5 });
    expect(self.status).toBe(200);
    // 5 (self) + 1.2 (Q1 to date: 3 of 5 online = 60%) + 9 × 2/3 = 6 → 12.2
    expect(self.body).toMatchObject({ total: 12.2, max: 16, complete: true, frozen: false });
    const appraised = await score(who.appraiser, { points: 4.1, stage: 'appraisal' });
    const it61 = appraised.body.areas[0].children[0];
    expect(it61).toMatchObject({
      points: 4.1,
      source: 'appraisal',
      selfAssessment: { points: 5, assessor: 'nguyen.thi.mai', assessorName: 'Nguyễn Thị Mai' },
    });
    expect(it61.selfAssessment.evidence).toEqual([
      { documentNumber: '125/BC-SYT', attachmentName: 'bao-cao-cntt.pdf' },
    ]);
    expect(appraised.body.total).toBe(11.3);
    // The tree cannot change under the scores entered: 6.1's maximum below its self-assessment of 5.
    const shrunk = structuredClone(FRAMEWORK);
    shrunk.areas[0]!.children[0]!.maxPoints = 4.5;
    const refused = await call(who.admin, 'PUT', '/v1/kpi/frameworks/PAR-SYT/2026', {
      name: FRAMEWORK.name,
      areas: shrunk.areas,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain(`${SYT} scored 5 on 6.1`);
  });

  it('freezes a published result: later facts and scores do not change it', async () => {
    const published = await call(who.admin, 'POST', `/v1/kpi/frameworks/PAR-SYT/2026/results/${SYT}/publish`);
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ total: 11.3, frozen: true });
    await applyEvents(
      t.db,
      dossier({ agencyCode: SYT, channel: 'online' })
        .received(vn('2026-04-01 09:00'), vn('2026-04-10 17:00'))
        .resolved(vn('2026-04-02 09:00'), { resultDigitized: true }).events as AnyEvent[],
    );
    const later = await call(who.reporter, 'GET', `/v1/kpi/frameworks/PAR-SYT/2026/results/${SYT}`);
    expect(later.body).toEqual(published.body);
    // A target may name a framework node: the scorecard reads the frozen result.
    const target = await call(who.leader, 'PUT', '/v1/kpi/targets', {
      agencyCode: SYT,
      year: 2026,
      indicator: 'framework:PAR-SYT/6',
      comparator: 'at_least',
      value: 12,
    });
    expect(target.status).toBe(200);
    const card = await call(
      who.leader,
      'GET',
      `/v1/kpi/scorecards?agencyCode=${SYT}&period=2026&subAgencies=false`,
    );
    expect(card.body.lines.find((l: any) => l.indicator === 'framework:PAR-SYT/6')).toMatchObject({
      name: 'PAR-SYT 6. Hiện đại hóa hành chính',
      unit: 'points',
      actual: 11.3,
      met: false,
      gap: -0.7,
      trend: [],
    });
    expect(card.body.subAgencies).toEqual([]);
    const unknownNode = await call(who.leader, 'PUT', '/v1/kpi/targets', {
      agencyCode: SYT,
      year: 2026,
      indicator: 'framework:PAR-SYT/9',
      comparator: 'at_least',
      value: 1,
    });
    expect(unknownNode.body.errors[0]).toMatchObject({
      pointer: '/indicator',
      detail: expect.stringContaining('no criterion 9'),
    });
    const score = await call(who.appraiser, 'POST', '/v1/kpi/frameworks/PAR-SYT/2026/scores', {
      agencyCode: SYT,
      criterion: '6.1',
      stage: 'appraisal',
      points: 5,
      evidence: [{ link: 'https://example.vn/tham-dinh' }],
    });
    expect(score.status).toBe(409);
    expect(
      (await call(who.admin, 'PUT', '/v1/kpi/frameworks/PAR-SYT/2026', { name: 'x', areas: FRAMEWORK.areas }))
        .status,
    ).toBe(409);
    // The next year starts from this one, and stays changeable: its results are not published.
    const copied = await call(who.admin, 'POST', '/v1/kpi/frameworks/PAR-SYT/2026/copy', { toYear: 2027 });
    expect(copied.status).toBe(201);
    expect(copied.body).toMatchObject({ code: 'PAR-SYT', year: 2027, areas: FRAMEWORK.areas });
    expect(
      (
        await call(who.admin, 'PUT', '/v1/kpi/frameworks/PAR-SYT/2027', {
          name: 'Năm 2027',
          areas: FRAMEWORK.areas,
        })
      ).status,
    ).toBe(200);
    expect(
      (await call(who.admin, 'POST', '/v1/kpi/frameworks/PAR-SYT/2026/copy', { toYear: 2027 })).status,
    ).toBe(409);
  });

  it('imports from XLSX, naming broken rows and storing nothing of them', async () => {
    const header = ['Mã', 'Tên', 'Điểm tối đa', 'Cách chấm', 'Chỉ số', 'Quy tắc', 'Tham số'];
    const rows = (extra: (string | number | null)[][]) => [
      ['1', 'Công tác chỉ đạo, điều hành', 10, null, null, null, null],
      ['1.1', 'Kế hoạch CCHC', 5.5, 'manual', null, null, null],
      [
        '1.2',
        'Hồ sơ trực tuyến',
        4.5,
        'computed',
        'criterion:online.dossiers_online',
        'bands',
        '0-50:1; 50-80:3; 80-:4.5',
      ],
      ...extra,
    ];
    const broken = await writeSheet(
      'Khung',
      header,
      rows([
        ['1.3', 'Thừa điểm', 0.5, 'manual', null, null, null],
        ['2.1', 'Không có cha', 1, 'manual', null, null, null],
      ]),
    );
    const refused = await call(
      who.admin,
      'POST',
      '/v1/kpi/frameworks/import?code=PAR-IMP&year=2026&name=Khung%20nh%E1%BA%ADp',
      broken,
      XLSX,
    );
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((e: any) => e.pointer)).toEqual(['/rows/6/code']);
    const over = await writeSheet(
      'Khung',
      header,
      rows([['1.3', 'Thừa điểm', 0.5, 'manual', null, null, null]]),
    );
    const refusedMax = await call(
      who.admin,
      'POST',
      '/v1/kpi/frameworks/import?code=PAR-IMP&year=2026&name=Khung',
      over,
      XLSX,
    );
    expect(refusedMax.body.errors.map((e: any) => e.pointer)).toEqual(['/rows/2/maxPoints']);
    expect((await call(who.reporter, 'GET', '/v1/kpi/frameworks/PAR-IMP/2026')).status).toBe(404);
    const good = await writeSheet('Khung', header, rows([]));
    const ok = await call(
      who.admin,
      'POST',
      '/v1/kpi/frameworks/import?code=PAR-IMP&year=2026&name=Khung',
      good,
      XLSX,
    );
    expect(ok.status).toBe(201);
    expect(ok.body.areas[0].children.map((c: any) => [c.code, c.maxPoints])).toEqual([
      ['1.1', 5.5],
      ['1.2', 4.5],
    ]);
  });
});

describe('ranking', () => {
  it('ranks two agencies by the indicator set, with the previous period where both tie', async () => {
    const res = await call(
      who.reporter,
      'GET',
      `/v1/kpi/rankings?period=2026-Q1&agencies=${SYT},${CHICUC}&includeSubAgencies=false`,
    );
    expect(res.status).toBe(200);
    const [first, second] = res.body.items;
    expect(first.total).toBeGreaterThan(second.total);
    expect([first.agencyCode, first.rank, second.agencyCode, second.rank]).toEqual([SYT, 1, CHICUC, 2]);
    // 2025-Q4 had no dossier anywhere: the same score for both, so both first.
    expect(first.previousTotal).toBe(second.previousTotal);
    expect([first.previousRank, second.previousRank]).toEqual([1, 1]);
    const progress = (item: any) => item.groups.find((g: any) => g.id === 'progress');
    expect(progress(first).rank).toBe(1);
    expect(res.body.previousPeriod.label).toBe('2025-Q4');
  });

  it('ranks by a framework’s totals, and refuses a scoped reader another agency', async () => {
    const res = await call(
      who.reporter,
      'GET',
      `/v1/kpi/rankings?period=2026&source=framework&framework=PAR-SYT&agencies=${SYT},${CHICUC}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: any) => [i.agencyCode, i.total, i.rank, i.previousRank])).toEqual([
      [SYT, 11.3, 1, null],
      // Chi cục: no manual score, 1 direct dossier (0% online, 0 of 1 result digitized).
      [CHICUC, 0, 2, null],
    ]);
    expect(res.body.groups).toEqual([{ id: '6', name: 'Hiện đại hóa hành chính' }]);
    const refused = await call(
      who.chicucLeader,
      'GET',
      `/v1/kpi/rankings?period=2026-Q1&agencies=${SYT},${CHICUC}`,
    );
    expect(refused.status).toBe(403);
  });
});

describe('the scorecard a report asks for (the kpi.scorecard job)', () => {
  it('is what the API shows: the targets over the period, each framework as a tree of rows with the evidence', async () => {
    const job = await scorecardForReport(t.db, { period: '2026-Q1', agencyCode: SYT });
    const api = await call(who.reporter, 'GET', `/v1/kpi/scorecards?agencyCode=${SYT}&period=2026-Q1`);
    expect(job.summary).toEqual(api.body.summary);
    const line = (l: any) => [l.indicator, l.target, l.actual, l.met, l.gap, l.trend];
    expect(job.lines.map(line)).toEqual(api.body.lines.map(line));
    expect(job.lines.length).toBeGreaterThan(0);

    const result = await call(who.reporter, 'GET', `/v1/kpi/frameworks/PAR-SYT/2026/results/${SYT}`);
    const flat: [string, number, number | null][] = [];
    const walk = (nodes: any[], depth: number) =>
      nodes.forEach((n) => {
        flat.push([n.code, depth, n.points]);
        walk(n.children, depth + 1);
      });
    walk(result.body.areas, 0);
    const f = job.frameworks.find((x) => x.code === 'PAR-SYT')!;
    expect([f.total, f.max, f.frozen]).toEqual([result.body.total, result.body.max, result.body.frozen]);
    expect(f.rows.map((r) => [r.code, r.depth, r.points])).toEqual(flat);
    // A manual criterion carries its evidence as entered.
    const manual = f.rows.find((r) => r.source === 'appraisal' || r.source === 'self')!;
    expect((manual.appraisal ?? manual.selfAssessment)!.evidence.length).toBeGreaterThan(0);

    const only = await scorecardForReport(t.db, { period: '2026-Q1', agencyCode: SYT, framework: 'PAR-SYT' });
    expect(only.frameworks.map((x) => x.code)).toEqual(['PAR-SYT']);
    await expect(
      scorecardForReport(t.db, { period: '2026-Q1', agencyCode: SYT, framework: 'NONE' }),
    ).rejects.toMatchObject({ pointer: '/framework', status: 404 });
  });
});
