import { eventually } from '@tthc/testkit';
import { startSuite, type Suite } from '../support/suite';

let suite: Suite;
let now = new Date('2026-11-23T02:30:00Z');

beforeAll(async () => {
  suite = await startSuite(() => now);
});
afterAll(async () => {
  await suite.close();
});

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(suite.url + path, {
    method,
    headers: { ...suite.adminHeaders, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: text ? JSON.parse(text) : undefined,
    headers: res.headers,
  };
}

describe('the suite through the gateway', () => {
  it('creates a procedure, files a dossier, counts it in kpi and reports it', async () => {
    expect((await call('POST', '/v1/fields', { code: 'DUOC_PHAM', name: 'Dược phẩm' })).status).toBe(201);
    for (const agency of [
      {
        code: '000.00.00.H55',
        name: 'UBND tỉnh',
        parentCode: null,
        level: 'province',
        kind: 'people_committee',
      },
      {
        code: '000.00.17.H55',
        name: 'Sở Y tế',
        parentCode: '000.00.00.H55',
        level: 'province',
        kind: 'department',
      },
      {
        code: '000.20.17.H55',
        name: 'Trung tâm Phục vụ hành chính công',
        parentCode: '000.00.00.H55',
        level: 'province',
        kind: 'service_center',
      },
    ]) {
      expect((await call('POST', '/v1/agencies', agency)).status).toBe(201);
    }
    const created = await call('POST', '/v1/procedures', {
      code: '1.004579',
      name: 'Cấp chứng chỉ hành nghề dược',
      fieldCode: 'DUOC_PHAM',
      decidingAgencyCode: '000.00.17.H55',
      receivingAgencyCode: '000.20.17.H55',
      authorityLevel: 'province',
      steps: ['Nộp hồ sơ', 'Thẩm định', 'Trả kết quả'],
      methods: [
        { channel: 'online', processingTime: { value: 15, unit: 'working_days' }, fees: [], note: null },
      ],
      components: [{ case: null, name: 'Đơn đề nghị', originals: 1, copies: 0, formTemplate: null }],
      conditions: [],
      result: { name: 'Chứng chỉ hành nghề dược', isPaperDocument: true },
      applicantTypes: ['person'],
      legalBasis: [
        { number: '105/2016/QH13', title: 'Luật Dược', issuedOn: '2016-04-06', effectiveFrom: '2017-01-01' },
      ],
      interAgency: null,
      onlineLevel: 'full',
      legacyLevel: 4,
    });
    expect(created.status).toBe(201);
    const published = await fetch(`${suite.url}/v1/procedures/1.004579/publish`, {
      method: 'POST',
      headers: {
        ...suite.adminHeaders,
        'content-type': 'application/json',
        'if-match': created.headers.get('etag') ?? '',
      },
      body: JSON.stringify({
        decisionNumber: '184/QĐ-UBND',
        signedOn: '2026-11-02',
        effectiveFrom: '2026-11-05',
      }),
    });
    expect(published.status).toBe(200);

    // The intake learns of the procedure from procedure.published, through the outbox and Redis.
    const dossier = await eventually(
      async () => {
        const res = await call('POST', '/v1/dossiers', {
          procedureCode: '1.004579',
          channel: 'online',
          applicant: { kind: 'person', fullName: 'Trần Thị Bình', phone: '0987654321' },
          components: [{ name: 'Đơn đề nghị', digitized: true }],
        });
        return res.status === 201 ? res.body : undefined;
      },
      { what: 'the intake to accept a dossier for the new procedure' },
    );
    expect(dossier.code).toBe('000.20.17.H55-261123-0001');

    const counted = await eventually(
      async () => {
        const res = await call(
          'GET',
          '/v1/kpi/received-daily?agencyCode=000.00.17.H55&from=2026-11-01&to=2026-11-30',
        );
        return res.body.total === 1 ? res.body : undefined;
      },
      { what: 'kpi to count the dossier' },
    );
    expect(counted.days).toEqual([{ agencyCode: '000.00.17.H55', day: '2026-11-23', received: 1 }]);

    // A report is of a period that is over: the month ends, then Biểu 06 of November is asked for.
    now = new Date('2026-12-02T02:30:00Z');
    const requested = await call('POST', '/v1/reports', {
      kind: 'dossier-statistics',
      params: { agencyCode: '000.00.17.H55', period: '2026-11' },
      formats: ['json'],
    });
    expect(requested.status).toBe(202);
    expect(requested.body.status).toBe('queued');
    await eventually(
      async () => {
        const res = await call('GET', `/v1/reports/${requested.body.id}`);
        return res.body.status === 'done' ? res.body : undefined;
      },
      { what: 'the report flow to finish', timeoutMs: 15_000 },
    );
    const json = await call('GET', `/v1/reports/${requested.body.id}/files/json`);
    expect(json.body.figures.statisticsTable.total.figures).toMatchObject({ received: 1, inProgress: 1 });
  });

  it('answers a malformed body with 400 problem+json naming the field', async () => {
    const res = await call('POST', '/v1/fields', { code: 'x y', name: 'Lĩnh vực' });
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual([expect.objectContaining({ in: 'body', pointer: '/code' })]);
  });

  it('answers an unknown route with 404 problem+json, at the gateway and behind it', async () => {
    const outside = await call('GET', '/v1/nothing');
    expect(outside.status).toBe(404);
    expect(outside.type).toMatch(/problem\+json/);
    const inside = await call('GET', '/v1/procedures/1.000000');
    expect(inside.status).toBe(404);
    expect(inside.body.code).toBe('not_found');
  });

  it('passes the request id through to the service and back', async () => {
    const res = await fetch(`${suite.url}/v1/fields`, {
      headers: { ...suite.adminHeaders, 'x-request-id': 'e2e-trace-1' },
    });
    expect(res.headers.get('x-request-id')).toBe('e2e-trace-1');
  });

  it('serves the merged OpenAPI document with the paths of all four services, and Swagger UI', async () => {
    const spec = (await call('GET', '/openapi.json')).body;
    const paths = Object.keys(spec.paths);
    for (const p of ['/v1/procedures', '/v1/dossiers', '/v1/kpi/received-daily', '/v1/reports'])
      expect(paths).toContain(p);
    const docs = await fetch(`${suite.url}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  it('ignores an identity assertion a client tries to pass itself', async () => {
    const res = await fetch(`${suite.url}/v1/fields`, {
      headers: { ...suite.adminHeaders, 'x-tthc-identity': 'forged' },
    });
    expect(res.status).toBe(200);
  });
});
