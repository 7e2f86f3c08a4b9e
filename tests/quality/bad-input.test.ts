import { eventually } from '@tthc/testkit';
import { startSuite, type Suite } from '../support/suite';
import { casesFor, enc, type ValidInputs } from './support/bad-inputs';
import { sample } from './support/samples';
import { describeFailure, requestFor, send, verdict, type HttpRequest, type Outcome } from './support/send';
import { operationsOf, readSpec, type Operation } from './support/spec';

/**
 * Issue 6, item 5: every operation of the merged OpenAPI, driven through the gateway with
 * invalid inputs derived from its own schema, answers a 4xx problem+json and never a 5xx or
 * nothing. Reference rows are loaded first so that path parameters name real rows.
 */

/** Cases derived from an operation's parameters and body fields; generic and whole-body ones come on top. */
const MAX_FIELD_CASES_PER_OPERATION = 50;
const MIN_CASES_PER_OPERATION = 15;
const CONCURRENCY = 8;
const REQUEST_TIMEOUT_MS = 10_000;

/** The rate limits have tests of their own: here they would only turn cases into 429s. */
const GATEWAY_ENV = { RATE_LIMIT_PER_MINUTE: '1000000', TRACKING_RATE_LIMIT_PER_MINUTE: '1000000' };

const NOW = new Date('2026-03-10T02:00:00Z'); // Tuesday 10/3/2026, 09:00 in Hà Nội
const FIELD = 'DUOC_PHAM';
const ROOT = '000.00.00.H55';
const DEPARTMENT = '000.00.17.H55';
const CENTER = '000.20.17.H55';
const PROCEDURE = '1.004579';
const PHONE = '0903123456';

const operations = operationsOf(readSpec().doc);
/**
 * Actions after which a row accepts little else (abolished, withdrawn, revoked...) go last, so
 * that the other operations' valid-looking cases still reach their rules.
 */
const ENDING = /\/(abolish|withdraw|stop|refuse|return|revoke)$/;
const fuzzOrder = [
  ...operations.filter((op) => !ENDING.test(op.path)),
  ...operations.filter((op) => ENDING.test(op.path)),
];

const procedureBody = (code: string) => ({
  code,
  name: 'Cấp chứng chỉ hành nghề dược',
  fieldCode: FIELD,
  decidingAgencyCode: DEPARTMENT,
  receivingAgencyCode: CENTER,
  authorityLevel: 'province',
  steps: ['Nộp hồ sơ', 'Thẩm định', 'Trả kết quả'],
  methods: [
    {
      channel: 'online',
      processingTime: { value: 10, unit: 'working_days' },
      fees: [{ name: 'Phí thẩm định', amount: 500000 }],
      note: null,
    },
    {
      channel: 'direct',
      processingTime: { value: 10, unit: 'working_days' },
      fees: [{ name: 'Phí thẩm định', amount: 500000 }],
      note: null,
    },
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

const dossierBody = {
  procedureCode: PROCEDURE,
  source: 'desk',
  channel: 'direct',
  applicant: { kind: 'person', fullName: 'Phạm Thu Hà', phone: PHONE, idNumber: '046190001234' },
  components: [{ name: 'Đơn đề nghị' }],
};

let suite: Suite;
let valid: ValidInputs;
const ran = new Map<string, number>();
const statuses = new Map<string, Map<number, number>>();

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(suite.url + path, {
    method,
    headers: {
      ...suite.adminHeaders,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? null : JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  return {
    status: res.status,
    etag: res.headers.get('etag') ?? '',
    body: (text ? JSON.parse(text) : undefined) as any,
  };
}

async function loadReferenceData(): Promise<ValidInputs> {
  const expectCreated = <R extends { status: number; body: any }>(what: string, r: R): R => {
    if (r.status !== 201 && r.status !== 200 && r.status !== 202)
      throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r;
  };
  expectCreated('field', await call('POST', '/v1/fields', { code: FIELD, name: 'Dược phẩm' }));
  for (const agency of [
    { code: ROOT, name: 'UBND tỉnh', parentCode: null, level: 'province', kind: 'people_committee' },
    { code: DEPARTMENT, name: 'Sở Y tế', parentCode: ROOT, level: 'province', kind: 'department' },
    {
      code: CENTER,
      name: 'Trung tâm Phục vụ hành chính công',
      parentCode: ROOT,
      level: 'province',
      kind: 'service_center',
    },
  ]) {
    expectCreated(`agency ${agency.code}`, await call('POST', '/v1/agencies', agency));
  }
  const created = expectCreated('procedure', await call('POST', '/v1/procedures', procedureBody(PROCEDURE)));
  const decision = { decisionNumber: '184/QĐ-UBND', signedOn: '2026-01-05', effectiveFrom: '2026-01-10' };
  expectCreated(
    'publication',
    await call('POST', `/v1/procedures/${PROCEDURE}/publish`, decision, { 'if-match': created.etag }),
  );
  const dossier = await eventually(
    async () => {
      const r = await call('POST', '/v1/dossiers', dossierBody);
      return r.status === 201 ? (r.body as { code: string }) : undefined;
    },
    { what: 'the intake to know the published procedure', timeoutMs: 20_000 },
  );
  const feedback = await call('POST', '/v1/feedback', {
    kind: 'handling',
    dossierCode: dossier.code,
    sender: { name: 'Trần Thị Bình', phone: '0912345678' },
    content: 'Hồ sơ của tôi chưa được trả kết quả.',
  });
  // A key of its own for the admin routes that take a key id, so that revoking it harms nothing.
  const key = expectCreated(
    'api key',
    await call('POST', '/v1/admin/api-keys', {
      name: 'Bad-input suite',
      owner: 'quality',
      roles: ['reporter'],
    }),
  );
  const report = expectCreated(
    'report',
    await call('POST', '/v1/reports', {
      kind: 'dossier-statistics',
      params: { agencyCode: DEPARTMENT, period: '2026-02' },
    }),
  );
  // The feedback routes may not be reachable yet; a code of the right shape still exercises them.
  const feedbackCode: string = feedback.status === 201 ? feedback.body.code : 'PA-260310-0001';
  const byCollection: Record<string, string> = {
    agencies: DEPARTMENT,
    fields: FIELD,
    procedures: PROCEDURE,
    dossiers: dossier.code,
    tracking: dossier.code,
    feedback: feedbackCode,
  };
  const { code: _code, ...content } = procedureBody(PROCEDURE);
  const ids: Record<string, string> = { reports: report.body.id, admin: key.body.id };
  const byName: Record<string, string> = { form: '01', year: '2026', date: '2026-05-02' };
  const hints = {
    procedureCode: PROCEDURE,
    fieldCode: FIELD,
    agencyCode: DEPARTMENT,
    decidingAgencyCode: DEPARTMENT,
    receivingAgencyCode: CENTER,
    parentCode: ROOT,
    dossierCode: dossier.code,
    decisionNumber: '186/QĐ-UBND',
    officer: 'cv.ha',
    'x-verification': PHONE,
  };
  return {
    // A row the setup loaded when there is one; else a value the parameter's schema accepts.
    pathValue: (op, name) => {
      const collection = op.path.split('/')[2] ?? '';
      const known = name === 'id' ? ids[collection] : (byName[name] ?? byCollection[collection]);
      const param = op.params.find((p) => p.in === 'path' && p.name === name);
      return known ?? String(sample(param?.schema ?? {}, name, hints));
    },
    hints,
    bodies: {
      fileDossier: dossierBody,
      createProcedure: procedureBody('1.000001'),
      updateDraftProcedure: content,
      amendProcedure: {
        content,
        decision: { decisionNumber: '185/QĐ-UBND', signedOn: '2026-03-01', effectiveFrom: '2026-03-15' },
      },
    },
  };
}

/** The current ETag of the row an If-Match operation changes, so that a case fails on its own fault only. */
async function currentEtag(op: Operation): Promise<string | undefined> {
  if (!op.params.some((p) => p.in === 'header' && p.name.toLowerCase() === 'if-match')) return undefined;
  const collection = op.path.split('/')[2] ?? '';
  const code = valid.pathValue(op, 'code');
  const o = await send(
    suite.url,
    { method: 'GET', target: `/v1/${collection}/${enc(code)}`, headers: suite.adminHeaders },
    REQUEST_TIMEOUT_MS,
  );
  const etag = o.headers.etag;
  return typeof etag === 'string' ? etag : undefined;
}

function record(op: Operation, o: Outcome): void {
  ran.set(op.id, (ran.get(op.id) ?? 0) + 1);
  const byStatus = statuses.get(op.id) ?? new Map<number, number>();
  byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1);
  statuses.set(op.id, byStatus);
}

beforeAll(async () => {
  suite = await startSuite(() => NOW, { gatewayEnv: GATEWAY_ENV });
  valid = await loadReferenceData();
}, 60_000);
afterAll(async () => {
  const lines = operations.map((op) => {
    const counts = [...(statuses.get(op.id) ?? new Map<number, number>())]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`);
    return `${op.method.padEnd(6)} ${op.path.padEnd(45)} ${String(ran.get(op.id) ?? 0).padStart(3)} cases  ${counts.join(' ')}`;
  });
  console.log(
    `bad-input cases: ${[...ran.values()].reduce((a, b) => a + b, 0)} over ${operations.length} operations\n${lines.join('\n')}`,
  );
  await suite?.close();
}, 60_000);

describe('the harness', () => {
  it('answers a known-good request 2xx, and its checks catch a 5xx, a bare 4xx, a problem without code and a hang', async () => {
    const headers = suite.adminHeaders;
    const ok = await send(
      suite.url,
      { method: 'GET', target: `/v1/procedures/${PROCEDURE}`, headers },
      REQUEST_TIMEOUT_MS,
    );
    expect({ status: ok.status, verdict: verdict(ok) }).toEqual({ status: 200, verdict: null });
    const missing = await send(
      suite.url,
      { method: 'GET', target: '/v1/procedures/9.999999', headers },
      REQUEST_TIMEOUT_MS,
    );
    expect({ status: missing.status, verdict: verdict(missing) }).toEqual({ status: 404, verdict: null });

    expect(verdict({ ...ok, status: 500 })).toMatch(/server error 500/);
    expect(verdict({ ...ok, status: 502 })).toMatch(/server error 502/);
    expect(verdict({ ...missing, contentType: 'application/json; charset=utf-8' })).toMatch(
      /not application\/problem\+json/,
    );
    expect(verdict({ ...missing, body: { ...(missing.body as object), code: undefined } })).toMatch(
      /lacks code/,
    );
    expect(verdict({ ...missing, body: { ...(missing.body as object), status: 400 } })).toMatch(
      /lacks status/,
    );
    expect(verdict({ ...missing, body: 'Not Found' })).toMatch(/not a JSON object/);
    const hung = await send(suite.url, { method: 'GET', target: `/v1/procedures/${PROCEDURE}`, headers }, 1);
    expect(verdict(hung)).toMatch(/no answer/);
  });

  it.each(
    operations.filter((op) => op.method === 'GET').map((op) => [`${op.method} ${op.path}`, op] as const),
  )('builds a request for %s that passes validation (so each case breaks one thing only)', async (_, op) => {
    const request = requestFor(op, { kind: 'valid', name: 'valid' }, valid, suite.adminHeaders, undefined);
    const o = await send(suite.url, request, REQUEST_TIMEOUT_MS);
    if ((o.body as { code?: string } | undefined)?.code === 'route_not_found') return; // reported by the routing test below
    // 2xx, or 404 for a row the setup does not load (a notification message...): either way valid.
    const accepted =
      (o.status >= 200 && o.status < 300) ||
      (o.status === 404 && (o.body as { code?: string } | undefined)?.code === 'not_found');
    expect({
      target: request.target,
      answer: accepted ? 'accepted' : `${o.status} ${o.text.slice(0, 400)}`,
    }).toEqual({ target: request.target, answer: 'accepted' });
  });
});

describe('every operation of the merged OpenAPI, driven with invalid inputs through the gateway', () => {
  it.each(fuzzOrder.map((op) => [`${op.method} ${op.path}`, op] as const))(
    '%s answers each bad input with a 4xx problem+json or a 2xx, never a 5xx or nothing',
    async (_, op) => {
      const cases = casesFor(op, valid, MAX_FIELD_CASES_PER_OPERATION);
      const failures: string[] = [];
      for (let i = 0; i < cases.length; i += CONCURRENCY) {
        const etag = await currentEtag(op);
        const answers = await Promise.all(
          cases.slice(i, i + CONCURRENCY).map(async (c) => {
            const request = requestFor(op, c, valid, suite.adminHeaders, etag);
            const o = await send(suite.url, request, REQUEST_TIMEOUT_MS);
            record(op, o);
            const why = verdict(o);
            return why === null ? [] : [describeFailure(op, c, request, o, why)];
          }),
        );
        failures.push(...answers.flat());
      }
      expect(failures).toEqual([]);
    },
    60_000,
  );

  it(`ran at least ${MIN_CASES_PER_OPERATION} cases against each of the spec's operations`, () => {
    expect(operations.length).toBeGreaterThanOrEqual(50);
    const short = operations
      .map((op) => ({ op: `${op.method} ${op.path}`, ran: ran.get(op.id) ?? 0 }))
      .filter((x) => x.ran < MIN_CASES_PER_OPERATION);
    expect(short).toEqual([]);
  });
});

describe('the gateway', () => {
  it('routes every operation of the merged spec to its service (none answers route_not_found)', async () => {
    const unrouted: string[] = [];
    for (const op of operations) {
      // A JSON array, which no operation takes as its body: enough to see which process answers.
      const request = requestFor(
        op,
        { kind: 'routing', name: 'routing', body: '[]' },
        valid,
        suite.adminHeaders,
        undefined,
      );
      const o = await send(suite.url, request, REQUEST_TIMEOUT_MS);
      if ((o.body as { code?: string } | undefined)?.code === 'route_not_found')
        unrouted.push(`${op.method} ${op.path}: ${o.status} ${o.text.slice(0, 200)}`);
    }
    expect(unrouted).toEqual([]);
  });
});

describe('requests no operation describes', () => {
  const cases: { name: string; request: () => HttpRequest }[] = [
    {
      name: 'a 1 MB query string',
      request: () => ({
        method: 'GET',
        target: `/v1/procedures?q=${'a'.repeat(1024 * 1024)}`,
        headers: suite.adminHeaders,
      }),
    },
    {
      name: 'a 20 KB header',
      request: () => ({
        method: 'GET',
        target: '/v1/procedures',
        headers: { ...suite.adminHeaders, 'x-padding': 'a'.repeat(20_000) },
      }),
    },
    {
      name: 'an unknown route',
      request: () => ({ method: 'GET', target: '/v1/nothing-here', headers: suite.adminHeaders }),
    },
    {
      name: 'an unknown method on a known path',
      request: () => ({
        method: 'PATCH',
        target: `/v1/procedures/${PROCEDURE}`,
        headers: suite.adminHeaders,
      }),
    },
    {
      name: 'invalid UTF-8 in the path outside any route',
      request: () => ({ method: 'GET', target: '/v1/%C3%28%FF', headers: suite.adminHeaders }),
    },
    {
      name: 'path traversal',
      request: () => ({
        method: 'GET',
        target: '/v1/procedures/..%2F..%2F..%2Fetc%2Fpasswd',
        headers: suite.adminHeaders,
      }),
    },
  ];
  it.each(cases.map((c) => [c.name, c] as const))(
    'answers %s with a 4xx problem+json, never a 5xx',
    async (_, c) => {
      const request = c.request();
      const o = await send(suite.url, request, REQUEST_TIMEOUT_MS);
      const why = verdict(o);
      expect({ case: c.name, status: o.status, why, body: o.text.slice(0, 300) }).toEqual({
        case: c.name,
        status: o.status,
        why: null,
        body: o.text.slice(0, 300),
      });
      expect(o.status).toBeGreaterThanOrEqual(400);
    },
  );
});
