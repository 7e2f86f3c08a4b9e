import { eventually } from '@tthc/testkit';
import { startSuite, type Suite } from '../support/suite';

/**
 * Issue 14 through the gateway: a leader sets the year's targets of Sở Y tế and its Chi cục,
 * dossiers are driven through intake, the scorecard shows which targets are met; an assessor
 * enters manual scores with evidence into a reform-index framework and the rolled-up total is
 * read back; the two agencies are ranked.
 */
let suite: Suite;
let now = new Date('2026-01-05T02:00:00Z');
const at = (local: string) => {
  now = new Date(`${local.replace(' ', 'T')}:00+07:00`);
};
const SYT = '000.00.17.H55';
const CHICUC = '000.01.17.H55';

type Res = { status: number; etag: string; type: string; body: any };
async function call(
  headers: Record<string, string>,
  method: string,
  path: string,
  body?: unknown,
  extra: Record<string, string> = {},
): Promise<Res> {
  const res = await fetch(suite.url + path, {
    method,
    headers: { ...headers, ...extra, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    etag: res.headers.get('etag') ?? '',
    type: res.headers.get('content-type') ?? '',
    body: text ? JSON.parse(text) : undefined,
  };
}
const keys: Record<string, Record<string, string>> = {};
const admin = (method: string, path: string, body?: unknown, extra?: Record<string, string>) =>
  call(suite.adminHeaders, method, path, body, extra);
const as = (who: string) => (method: string, path: string, body?: unknown) =>
  call(keys[who]!, method, path, body);

async function issue(name: string, roles: string[], agencyCode: string | null) {
  const res = await admin('POST', '/v1/admin/api-keys', { name, owner: name, roles, agencyCode });
  expect(res.status).toBe(201);
  keys[name] = { 'x-api-key': res.body.key as string };
}

const act = async (code: string, path: string, body: unknown = {}) => {
  const current = await admin('GET', `/v1/dossiers/${code}`);
  const res = await admin('POST', `/v1/dossiers/${code}/${path}`, body, { 'if-match': current.etag });
  expect({ code, path, status: res.status }).toEqual({ code, path, status: 200 });
  return res.body as { code: string };
};
const file = async (procedureCode: string, channel: 'direct' | 'online') => {
  const res = await admin('POST', '/v1/dossiers', {
    procedureCode,
    source: channel === 'online' ? 'portal' : 'desk',
    channel,
    applicant: { kind: 'person', fullName: 'Nguyễn Văn An', phone: '0903123456' },
    components: [{ name: 'Đơn đề nghị', digitized: true }],
  });
  if (res.status !== 201) throw new Error(`filing answered ${res.status}`);
  const code = res.body.code as string;
  return channel === 'online' ? (await act(code, 'accept')).code : code;
};

async function publish(code: string, fieldCode: string, deciding: string) {
  const created = await admin('POST', '/v1/procedures', {
    code,
    name: `Thủ tục ${code}`,
    fieldCode,
    decidingAgencyCode: deciding,
    receivingAgencyCode: '000.20.17.H55',
    authorityLevel: 'province',
    steps: ['Nộp hồ sơ', 'Thẩm định', 'Trả kết quả'],
    methods: (['direct', 'online', 'postal'] as const).map((channel) => ({
      channel,
      processingTime: { value: 10, unit: 'working_days' },
      fees: [],
      note: null,
    })),
    components: [{ case: null, name: 'Đơn đề nghị', originals: 1, copies: 0, formTemplate: null }],
    conditions: [],
    result: { name: 'Giấy phép', isPaperDocument: false },
    applicantTypes: ['person'],
    legalBasis: [
      { number: '105/2016/QH13', title: 'Luật Dược', issuedOn: '2016-04-06', effectiveFrom: '2017-01-01' },
    ],
    interAgency: null,
    onlineLevel: 'full',
    legacyLevel: 4,
  });
  expect(created.status).toBe(201);
  const res = await admin(
    'POST',
    `/v1/procedures/${code}/publish`,
    { decisionNumber: '12/QĐ-UBND', signedOn: '2025-12-20', effectiveFrom: '2026-01-02' },
    { 'if-match': created.etag },
  );
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  suite = await startSuite(() => now);
  for (const f of [
    { code: 'DUOC_PHAM', name: 'Dược phẩm' },
    { code: 'ATTP', name: 'An toàn thực phẩm' },
  ])
    expect((await admin('POST', '/v1/fields', f)).status).toBe(201);
  for (const a of [
    { code: '000.00.00.H55', name: 'UBND tỉnh', parentCode: null, kind: 'people_committee' },
    { code: SYT, name: 'Sở Y tế', parentCode: '000.00.00.H55', kind: 'department' },
    { code: CHICUC, name: 'Chi cục An toàn vệ sinh thực phẩm', parentCode: SYT, kind: 'sub_department' },
    {
      code: '000.20.17.H55',
      name: 'Trung tâm Phục vụ hành chính công',
      parentCode: '000.00.00.H55',
      kind: 'service_center',
    },
  ])
    expect((await admin('POST', '/v1/agencies', { ...a, level: 'province' })).status).toBe(201);
  await publish('1.004579', 'DUOC_PHAM', SYT);
  await publish('1.001111', 'ATTP', CHICUC);
  await issue('leader-syt', ['leader'], SYT);
  await issue('leader-chicuc', ['leader'], CHICUC);
  await issue('reporter', ['reporter'], null);
  await issue('assessor-syt', ['assessor'], SYT);
  await issue('appraiser', ['assessor'], '000.00.00.H55');
}, 90_000);
afterAll(() => suite.close());

describe('targets and the scorecard', () => {
  it('lets leaders set targets within their agencies, and nobody else', async () => {
    const target = (agencyCode: string, indicator: string, comparator: string, value: number) => ({
      agencyCode,
      year: 2026,
      indicator,
      comparator,
      value,
      note: 'Kế hoạch 10/KH-UBND năm 2026',
    });
    for (const t of [
      target(SYT, 'criterion:online.dossiers_online', 'at_least', 50),
      target(SYT, 'figure:results_digitized', 'equal', 100),
      target(SYT, 'figure:resolved_early', 'at_least', 20),
      target(CHICUC, 'figure:results_digitized', 'equal', 100),
    ])
      expect((await as('leader-syt')('PUT', '/v1/kpi/targets', t)).status).toBe(200);
    expect(
      (
        await as('leader-chicuc')(
          'PUT',
          '/v1/kpi/targets',
          target(SYT, 'figure:resolved_early', 'at_least', 1),
        )
      ).status,
    ).toBe(403);
    expect(
      (await as('reporter')('PUT', '/v1/kpi/targets', target(SYT, 'figure:resolved_early', 'at_least', 1)))
        .status,
    ).toBe(403);
    const unknown = await as('leader-syt')(
      'PUT',
      '/v1/kpi/targets',
      target(SYT, 'figure:nope', 'at_least', 1),
    );
    expect(unknown.status).toBe(422);
    expect(unknown.type).toContain('application/problem+json');
    expect(unknown.body.errors[0].pointer).toBe('/indicator');
  });

  it('drives dossiers through intake and shows which targets are met', async () => {
    at('2026-01-05 09:00');
    const a = await eventually(async () => file('1.004579', 'direct').catch(() => undefined), {
      what: 'intake to know the procedure',
    });
    const b = await file('1.004579', 'online');
    const c = await eventually(async () => file('1.001111', 'direct').catch(() => undefined), {
      what: 'intake to know the second procedure',
    });
    at('2026-01-09 09:00');
    await act(a, 'resolve', { eResult: true, resultDigitized: true });
    await act(c, 'resolve', { eResult: false, resultDigitized: false });
    at('2026-01-12 09:00');
    await file('1.004579', 'online');
    at('2026-01-15 09:00');
    await act(b, 'resolve', { eResult: true, resultDigitized: true });
    at('2026-01-21 09:00');

    // Sở Y tế with its Chi cục: 4 received, 2 online (50%); 3 resolved early, 2 digitized.
    const card = await eventually(
      async () => {
        const r = await as('leader-syt')('GET', `/v1/kpi/scorecards?agencyCode=${SYT}&period=2026-01`);
        return r.body?.lines?.find((l: any) => l.indicator === 'figure:results_digitized')?.actual === 66.67
          ? r
          : undefined;
      },
      { what: 'kpi to count the resolved dossiers', timeoutMs: 30_000 },
    );
    expect(card.status).toBe(200);
    const line = (id: string) => card.body.lines.find((l: any) => l.indicator === id);
    expect(line('criterion:online.dossiers_online')).toMatchObject({
      target: 50,
      actual: 50,
      met: true,
      gap: 0,
    });
    expect(line('figure:resolved_early')).toMatchObject({ actual: 100, met: true });
    expect(line('figure:results_digitized')).toMatchObject({ target: 100, met: false, gap: -33.33 });
    expect(card.body.summary).toEqual({ targets: 3, met: 2, notMet: 1, noData: 0 });
    expect(card.body.subAgencies.map((s: any) => [s.agencyCode, s.lines[0].actual, s.lines[0].met])).toEqual([
      [CHICUC, 0, false],
    ]);
    // The Chi cục's leader sees its own scorecard, not its parent's.
    expect(
      (await as('leader-chicuc')('GET', `/v1/kpi/scorecards?agencyCode=${SYT}&period=2026-01`)).status,
    ).toBe(403);
    const own = await as('leader-chicuc')('GET', '/v1/kpi/scorecards?period=2026-01');
    expect(own.body).toMatchObject({ agencyCode: CHICUC, summary: { targets: 1, notMet: 1 } });
  });
});

describe('a reform-index framework scored through the gateway', () => {
  it('is created by an administrator; assessors enter scores with evidence; the total rolls up', async () => {
    const framework = {
      code: 'PAR-SYT',
      year: 2026,
      name: 'Chỉ số cải cách hành chính cấp sở năm 2026',
      areas: [
        {
          code: '1',
          name: 'Cải cách thủ tục hành chính',
          maxPoints: 10,
          children: [
            {
              code: '1.1',
              name: 'Công khai, minh bạch thủ tục',
              maxPoints: 5.5,
              scoring: { kind: 'manual' },
            },
            {
              code: '1.2',
              name: 'Hồ sơ trực tuyến',
              maxPoints: 4.5,
              scoring: {
                kind: 'computed',
                indicator: 'criterion:online.dossiers_online',
                rule: { kind: 'linear', upTo: 50 },
              },
            },
          ],
        },
        { code: '2', name: 'Hiện đại hóa hành chính', maxPoints: 1.5, scoring: { kind: 'manual' } },
      ],
    };
    expect((await as('leader-syt')('POST', '/v1/kpi/frameworks', framework)).status).toBe(403);
    expect((await admin('POST', '/v1/kpi/frameworks', framework)).status).toBe(201);
    const score = (who: string, body: Record<string, unknown>) =>
      as(who)('POST', '/v1/kpi/frameworks/PAR-SYT/2026/scores', {
        agencyCode: SYT,
        stage: 'self',
        comment: 'Công khai đầy đủ trên Cổng dịch vụ công',
        evidence: [{ documentNumber: '15/BC-SYT', link: 'https://soyte.quangnam.gov.vn/bc-15' }],
        ...body,
      });
    expect((await score('leader-syt', { criterion: '1.1', points: 5 })).status).toBe(403);
    const over = await score('assessor-syt', { criterion: '1.1', points: 6 });
    expect(over.status).toBe(422);
    expect(over.body.errors[0].pointer).toBe('/points');
    expect((await score('assessor-syt', { criterion: '1.1', points: 5 })).status).toBe(200);
    const self = await score('assessor-syt', { criterion: '2', points: 1.5 });
    // 5 + 4.5 (50% online reaches the 50% of full points) + 1.5
    expect(self.body).toMatchObject({ total: 11, max: 11.5, complete: true });
    const appraised = await score('appraiser', { criterion: '2', points: 1.2, stage: 'appraisal' });
    expect(appraised.status).toBe(200);
    expect(appraised.body.total).toBe(10.7);
    expect(appraised.body.areas[1]).toMatchObject({
      points: 1.2,
      source: 'appraisal',
      selfAssessment: { points: 1.5, evidence: [{ documentNumber: '15/BC-SYT' }] },
    });
    // Chi cục: self-assessed 3 on 1.1; no online dossier.
    expect((await score('assessor-syt', { agencyCode: CHICUC, criterion: '1.1', points: 3 })).status).toBe(
      200,
    );
    const read = await as('reporter')('GET', `/v1/kpi/frameworks/PAR-SYT/2026/results/${SYT}`);
    expect(read.body).toMatchObject({ total: 10.7, frozen: false });
    expect(read.body.areas[0]).toMatchObject({
      points: 9.5,
      children: [{ points: 5 }, { points: 4.5, value: 50 }],
    });
  });

  it('ranks the two agencies by the framework and by the indicator set', async () => {
    const byFramework = await as('reporter')(
      'GET',
      `/v1/kpi/rankings?period=2026&source=framework&framework=PAR-SYT&agencies=${SYT},${CHICUC}`,
    );
    expect(byFramework.status).toBe(200);
    expect(byFramework.body.items.map((i: any) => [i.agencyCode, i.total, i.rank])).toEqual([
      [SYT, 10.7, 1],
      [CHICUC, 3, 2],
    ]);
    const byIndicators = await as('leader-syt')(
      'GET',
      `/v1/kpi/rankings?period=2026-01&agencies=${SYT},${CHICUC}&includeSubAgencies=false`,
    );
    expect(byIndicators.status).toBe(200);
    const [first, second] = byIndicators.body.items;
    expect(first.rank).toBe(1);
    expect(second.rank).toBe(first.total === second.total ? 1 : 2);
    expect(first.total).toBeGreaterThanOrEqual(second.total);
    expect(byIndicators.body.previousPeriod.label).toBe('2025-12');
  });
});
