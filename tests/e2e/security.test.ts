import { SignJWT } from 'jose';
import { eventually } from '@tthc/testkit';
import { startSuite, TEST_CALLBACK_TOKEN, TEST_JWT_SECRET, type Suite } from '../support/suite';

let suite: Suite;
const logs: string[] = [];
const now = new Date('2026-11-23T02:00:00Z');

type Res = { status: number; etag: string; body: any };
async function call(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
  base?: string,
): Promise<Res> {
  const res = await fetch((base ?? suite.url) + path, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    etag: res.headers.get('etag') ?? '',
    body: text ? JSON.parse(text) : undefined,
  };
}
const admin = (method: string, path: string, body?: unknown) => call(method, path, suite.adminHeaders, body);
const keys: Record<string, Record<string, string>> = {};
async function issue(
  name: string,
  roles: string[],
  agencyCode: string | null = null,
  expiresAt: string | null = null,
) {
  const res = await admin('POST', '/v1/admin/api-keys', {
    name,
    owner: name.toLowerCase().replace(/[^a-z0-9]/g, '-'),
    roles,
    agencyCode,
    expiresAt,
  });
  expect(res.status).toBe(201);
  return { id: res.body.id as string, headers: { 'x-api-key': res.body.key as string } };
}
const token = (claims: Record<string, unknown>, opts: { audience?: string; expiresIn?: string } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('https://sso.test')
    .setAudience(opts.audience ?? 'tthc')
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '10m')
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));

const procedure = (code: string, deciding: string, receiving: string) => ({
  code,
  name: `Thủ tục ${code}`,
  fieldCode: 'DUOC_PHAM',
  decidingAgencyCode: deciding,
  receivingAgencyCode: receiving,
  authorityLevel: 'province',
  steps: ['Nộp hồ sơ'],
  methods: [{ channel: 'direct', processingTime: { value: 5, unit: 'working_days' }, fees: [], note: null }],
  components: [],
  conditions: [],
  result: { name: 'Giấy phép', isPaperDocument: true },
  applicantTypes: ['person'],
  legalBasis: [{ number: '105/2016/QH13', title: 'Luật Dược', issuedOn: null, effectiveFrom: null }],
  interAgency: null,
  onlineLevel: 'none',
  legacyLevel: null,
});
const dossiers: Record<string, string> = {};

beforeAll(async () => {
  suite = await startSuite(() => now, {
    gatewayEnv: { RATE_LIMIT_PER_MINUTE: '40' },
    logSink: (l) => logs.push(l),
  });
  await admin('POST', '/v1/fields', { code: 'DUOC_PHAM', name: 'Dược phẩm' });
  for (const a of [
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
      code: '000.01.17.H55',
      name: 'Chi cục ATVSTP',
      parentCode: '000.00.17.H55',
      level: 'province',
      kind: 'sub_department',
    },
    {
      code: '000.00.12.H55',
      name: 'Sở Tư pháp',
      parentCode: '000.00.00.H55',
      level: 'province',
      kind: 'department',
    },
  ]) {
    await admin('POST', '/v1/agencies', a);
  }
  for (const [code, deciding] of [
    ['1.100001', '000.00.17.H55'],
    ['1.100002', '000.01.17.H55'],
    ['1.100003', '000.00.12.H55'],
  ] as const) {
    const created = await admin('POST', '/v1/procedures', procedure(code, deciding, deciding));
    await call(
      'POST',
      `/v1/procedures/${code}/publish`,
      { ...suite.adminHeaders, 'if-match': created.etag },
      { decisionNumber: '1/QĐ-UBND', signedOn: '2026-01-02', effectiveFrom: '2026-01-05' },
    );
  }
  for (const code of ['1.100001', '1.100002', '1.100003']) {
    dossiers[code] = await eventually(async () => {
      const r = await admin('POST', '/v1/dossiers', {
        procedureCode: code,
        channel: 'direct',
        applicant: {
          kind: 'person',
          fullName: 'Hoàng Văn Bảo',
          phone: '0911222333',
          idNumber: '079123456789',
          email: 'bao@example.vn',
          address: '99 Trần Phú, Đà Nẵng',
        },
      });
      return r.status === 201 ? (r.body.code as string) : undefined;
    });
  }
  keys['portal'] = (await issue('Cổng DVC', ['portal'])).headers;
  keys['reporter'] = (await issue('Báo cáo', ['reporter'])).headers;
  keys['deskSoYTe'] = (await issue('Một cửa Sở Y tế', ['desk_officer'], '000.00.17.H55')).headers;
  keys['deskChiCuc'] = (await issue('Một cửa Chi cục', ['desk_officer'], '000.01.17.H55')).headers;
}, 60_000);
afterAll(() => suite.close());

describe('authentication', () => {
  it('refuses a protected route without credentials, and keeps the public ones open', async () => {
    expect((await call('GET', '/v1/dossiers', {})).status).toBe(401);
    expect((await call('GET', '/v1/procedures', {})).status).toBe(200);
    expect(
      (await call('GET', `/v1/tracking/${dossiers['1.100001']}`, { 'x-verification': '0911222333' })).status,
    ).toBe(200);
    expect(
      (await call('GET', '/v1/dossiers', { 'x-api-key': 'tthc_AAAAAAAA_' + 'x'.repeat(43) })).status,
    ).toBe(401);
  });

  it('lets a delivery callback carry its token as documented (x-callback-token or Authorization: Bearer)', async () => {
    const report = { messageId: 'gw-unknown-1', status: 'delivered' };
    const path = '/v1/notifications/callbacks/sms_gateway';
    // Past the gateway, the service judges the token: right token, unknown message → 404.
    for (const headers of <Record<string, string>[]>[
      { 'x-callback-token': TEST_CALLBACK_TOKEN },
      { authorization: `Bearer ${TEST_CALLBACK_TOKEN}` },
    ]) {
      const res = await call('POST', path, headers, report);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 404, code: 'not_found' });
    }
    const wrong = await call(
      'POST',
      path,
      { authorization: 'Bearer not-the-callback-token-0123456789' },
      report,
    );
    expect({ status: wrong.status, detail: wrong.body.detail }).toEqual({
      status: 401,
      detail: 'the callback token is missing or wrong',
    });
    // A bearer that is no officer token still opens no protected route.
    expect(
      (await call('GET', '/v1/dossiers', { authorization: `Bearer ${TEST_CALLBACK_TOKEN}` })).status,
    ).toBe(401);
  });

  it('refuses revoked and expired keys', async () => {
    const revoked = await issue('Tạm', ['reporter']);
    expect(
      (await call('GET', '/v1/kpi/received-daily?from=2026-11-01&to=2026-11-30', revoked.headers)).status,
    ).toBe(200);
    expect((await admin('POST', `/v1/admin/api-keys/${revoked.id}/revoke`)).status).toBe(200);
    expect(
      (await call('GET', '/v1/kpi/received-daily?from=2026-11-01&to=2026-11-30', revoked.headers)).status,
    ).toBe(401);
    const expired = await issue('Hết hạn', ['reporter'], null, '2020-01-01T00:00:00Z');
    const res = await call('GET', '/v1/kpi/received-daily?from=2026-11-01&to=2026-11-30', expired.headers);
    expect(res.status).toBe(401);
    expect(res.body.detail).toContain('expired');
  });

  it('rotates a key: the old one stops working, the new one works', async () => {
    const first = await issue('Xoay vòng', ['reporter']);
    const rotated = await admin('POST', `/v1/admin/api-keys/${first.id}/rotate`);
    expect(rotated.status).toBe(201);
    expect(
      (await call('GET', '/v1/reports/00000000-0000-4000-8000-000000000000', first.headers)).status,
    ).toBe(401);
    expect(
      (
        await call('GET', '/v1/reports/00000000-0000-4000-8000-000000000000', {
          'x-api-key': rotated.body.key,
        })
      ).status,
    ).toBe(404);
  });

  it('accepts an officer token from the identity provider, checking audience and expiry', async () => {
    const good = await token({ sub: 'cv.lan', roles: ['processing_officer'], agency_code: '000.00.17.H55' });
    expect((await call('GET', '/v1/dossiers', { authorization: `Bearer ${good}` })).status).toBe(200);
    const wrongAudience = await token(
      { sub: 'cv.lan', roles: ['processing_officer'] },
      { audience: 'another-app' },
    );
    expect((await call('GET', '/v1/dossiers', { authorization: `Bearer ${wrongAudience}` })).status).toBe(
      401,
    );
    const expired = await token({ sub: 'cv.lan', roles: ['processing_officer'] }, { expiresIn: '-1m' });
    expect((await call('GET', '/v1/dossiers', { authorization: `Bearer ${expired}` })).status).toBe(401);
  });

  it('records the administrator actions', async () => {
    const audit = (await admin('GET', '/v1/admin/audit?limit=50')).body.items;
    expect(audit.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['api_key.create', 'api_key.revoke', 'api_key.rotate']),
    );
  });
});

/** Allowed: the route ran (a success, or a refusal of the body's content), not a refusal of the caller nor a failure. */
function expectAllowed(res: Res): void {
  expect({
    status: res.status,
    allowed: res.status < 300 || res.status === 400 || res.status === 422,
  }).toEqual({ status: res.status, allowed: true });
}

describe('roles', () => {
  it.each([
    ['portal', 'POST', '/v1/dossiers', 'allowed'],
    ['portal', 'GET', '/v1/dossiers', 'forbidden'],
    ['portal', 'POST', '/v1/admin/api-keys', 'forbidden'],
    ['reporter', 'GET', '/v1/kpi/received-daily?from=2026-11-01&to=2026-11-30', 'allowed'],
    ['reporter', 'GET', '/v1/dossiers', 'forbidden'],
    ['reporter', 'POST', '/v1/procedures', 'forbidden'],
    ['deskSoYTe', 'GET', '/v1/dossiers', 'allowed'],
    ['deskSoYTe', 'GET', '/v1/kpi/received-daily?from=2026-11-01&to=2026-11-30', 'forbidden'],
    ['deskSoYTe', 'PUT', '/v1/calendar/overrides/2026-12-31', 'forbidden'],
    ['deskSoYTe', 'PUT', '/v1/calendar/2027/overrides', 'forbidden'],
    ['reporter', 'PUT', '/v1/calendar/2027/overrides', 'forbidden'],
  ])('%s %s %s is %s', async (who, method, path, expected) => {
    const body = method === 'GET' ? undefined : {};
    const res = await call(method, path, keys[who]!, body);
    if (expected === 'forbidden') {
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
    } else {
      expectAllowed(res);
    }
  });
});

describe('roles of officers (tokens)', () => {
  it.each([
    ['processing_officer', 'GET', '/v1/dossiers', 'allowed'],
    ['processing_officer', 'POST', '/v1/dossiers', 'forbidden'],
    [
      'processing_officer',
      'GET',
      '/v1/kpi/received-daily?agencyCode=000.00.17.H55&from=2026-11-01&to=2026-11-30',
      'forbidden',
    ],
    [
      'leader',
      'GET',
      '/v1/kpi/received-daily?agencyCode=000.00.17.H55&from=2026-11-01&to=2026-11-30',
      'allowed',
    ],
    [
      'leader',
      'GET',
      '/v1/kpi/received-daily?agencyCode=000.00.12.H55&from=2026-11-01&to=2026-11-30',
      'forbidden',
    ],
    ['leader', 'POST', '/v1/admin/api-keys', 'forbidden'],
    ['leader', 'POST', '/v1/procedures/1.100001/abolish', 'forbidden'],
  ])('%s %s %s is %s', async (role, method, path, expected) => {
    const bearer = await token({ sub: `officer.${role}`, roles: [role], agency_code: '000.00.17.H55' });
    const res = await call(
      method,
      path,
      { authorization: `Bearer ${bearer}` },
      method === 'GET' ? undefined : {},
    );
    if (expected === 'forbidden') expect(res.status).toBe(403);
    else expectAllowed(res);
  });
});

describe('agency scope', () => {
  it('shows an officer the dossiers of its agency and those below it, and no others', async () => {
    const listed = async (who: string) =>
      (await call('GET', '/v1/dossiers?limit=200', keys[who]!)).body.items
        .map((d: { code: string }) => d.code)
        .sort();
    expect(await listed('deskChiCuc')).toEqual([dossiers['1.100002']]);
    expect(await listed('deskSoYTe')).toEqual([dossiers['1.100001'], dossiers['1.100002']].sort());
  });

  it('refuses reads and actions on another agency’s dossier', async () => {
    const other = dossiers['1.100003']!;
    expect((await call('GET', `/v1/dossiers/${other}`, keys['deskSoYTe']!)).status).toBe(403);
    expect((await call('GET', `/v1/dossiers/${other}/history`, keys['deskSoYTe']!)).status).toBe(403);
    expect((await call('GET', `/v1/dossiers?agencyCode=000.00.12.H55`, keys['deskSoYTe']!)).status).toBe(403);
    const action = await call(
      'POST',
      `/v1/dossiers/${other}/withdraw`,
      { ...keys['deskSoYTe']!, 'if-match': '"1"' },
      { reason: 'Thử' },
    );
    expect(action.status).toBe(403);
    const own = await call('GET', `/v1/dossiers/${dossiers['1.100002']}`, keys['deskSoYTe']!);
    expect(own.status).toBe(200);
  });
});

describe('personal data', () => {
  it('gives the full contact to a handler and logs who read it; lists carry no contact', async () => {
    const full = await call('GET', `/v1/dossiers/${dossiers['1.100001']}`, keys['deskSoYTe']!);
    expect(full.body.applicant).toMatchObject({ phone: '0911222333', email: 'bao@example.vn' });
    const intake = suite.resources.dbFor<any>('intake');
    const access = await intake
      .selectFrom('personal_data_access')
      .selectAll()
      .where('dossier_id', '=', full.body.id)
      .execute();
    expect(access.at(-1)).toMatchObject({
      actor_role: 'desk_officer',
      actor_agency: '000.00.17.H55',
      purpose: 'read dossier',
    });
    const list = JSON.stringify((await call('GET', '/v1/dossiers', keys['deskSoYTe']!)).body);
    for (const personal of ['0911222333', 'bao@example.vn', '079123456789', 'Trần Phú'])
      expect(list).not.toContain(personal);
  });

  it('keeps personal data out of every log line of the whole run', () => {
    expect(logs.length).toBeGreaterThan(50);
    const all = logs.join('');
    for (const personal of ['0911222333', 'bao@example.vn', '079123456789', '99 Trần Phú'])
      expect(all).not.toContain(personal);
  });
});

describe('rate limits', () => {
  it('holds across two gateway replicas sharing Redis', async () => {
    const second = await suite.anotherGateway();
    const limited = await issue('Giới hạn', ['reporter']);
    const path = '/v1/kpi/received-daily?from=2026-11-01&to=2026-11-30';
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await call('GET', path, limited.headers)).status);
    // A replica adds its counts to Redis in batches (every 100 ms): the next one sees them after.
    await new Promise((r) => setTimeout(r, 300));
    for (let i = 0; i < 15; i++)
      statuses.push((await call('GET', path, limited.headers, undefined, second)).status);
    // 40 a minute per key, shared through Redis: the second replica continues the first one's count.
    expect(statuses.filter((s) => s === 200)).toHaveLength(40);
    expect(statuses.slice(40).every((s) => s === 429)).toBe(true);
    const refused = await call('GET', path, limited.headers, undefined, second);
    expect(refused.body).toMatchObject({ status: 429, code: 'too_many_requests' });
  });

  it('limits citizen tracking more strictly, per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++)
      statuses.push(
        (await call('GET', '/v1/tracking/000.00.12.H55-261123-9999', { 'x-verification': '0900000000' }))
          .status,
      );
    expect(statuses).toContain(429);
  });
});

describe('operator views', () => {
  it('serves the queue dashboard to administrators only, with a Basic sign-in for browsers', async () => {
    const anonymous = await fetch(`${suite.url}/v1/admin/queues`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Basic');
    const basic = `Basic ${Buffer.from(`admin:${suite.adminKey}`).toString('base64')}`;
    const page = await fetch(`${suite.url}/v1/admin/queues`, { headers: { authorization: basic } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const api = await fetch(
      `${suite.url}/v1/admin/queues/api/queues?activeQueue=kpi.events&page=1&jobsPerPage=10`,
      { headers: { authorization: basic } },
    );
    expect(api.status).toBe(200);
    const listed = JSON.stringify(await api.json());
    // Every queue of the suite, intake's own notification senders too.
    for (const queue of ['kpi.events', 'intake.notify-sms', 'intake.notify-email', 'intake.notify-scan'])
      expect(listed).toContain(`"${queue}"`);
    expect((await fetch(`${suite.url}/v1/admin/queues`, { headers: keys['reporter']! })).status).toBe(403);
  });
});

describe('metrics on the public port', () => {
  it('are for administrators only (a scraper sends an administrator key)', async () => {
    const anonymous = await fetch(`${suite.url}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    expect((await fetch(`${suite.url}/metrics`, { headers: keys['reporter']! })).status).toBe(403);
    const scraped = await fetch(`${suite.url}/metrics`, {
      headers: { authorization: `Bearer ${suite.adminKey}` },
    });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('process_cpu_seconds_total');
  });
});

describe('headers', () => {
  it('sends security headers', async () => {
    const res = await fetch(`${suite.url}/v1/procedures`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toBeTruthy();
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  });
});
