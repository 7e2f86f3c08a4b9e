import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '@tthc/testkit';
import { SignJWT } from 'jose';
import { encodes, readPdf, type ReadPdf } from '../../services/intake/test/fixtures/slips/read-pdf';
import { createTthcClient, type paths, type TthcClient } from '@tthc/client';
import { startSuite, TEST_JWT_SECRET, TRACKING_URL_BASE, type Suite } from '../support/suite';

/**
 * What the desk prints, read back from the PDFs fetched through the gateway: a dossier of the demo
 * catalogue (1.004579, decided by Sở Y tế, received at the provincial service centre) received at
 * the desk, sent back for a supplement, resolved and returned with no explicit assignment.
 */
const PROCEDURE = (
  JSON.parse(readFileSync(join(__dirname, '../../services/catalogue/seed/demo-catalogue.json'), 'utf8')) as {
    procedures: { code: string; components: { case: string | null; name: string }[] }[];
  }
).procedures.find((p) => p.code === '1.004579')!;
let suite: Suite;
let now = new Date('2026-11-23T02:00:00Z'); // Monday 23/11/2026, 09:00 in Việt Nam

beforeAll(async () => {
  suite = await startSuite(() => now, { demoCatalogue: true });
});
afterAll(() => suite.close());

let client: TthcClient;
beforeAll(() => {
  client = createTthcClient({ baseUrl: suite.url, apiKey: suite.adminKey });
});

type Action = 'request-supplement' | 'complete-supplement' | 'resolve' | 'return';
/** One lifecycle action, sent with the ETag of the dossier as read just before. */
const act = async <A extends Action>(
  code: string,
  action: A,
  body: NonNullable<paths[`/v1/dossiers/{code}/${A}`]['post']['requestBody']>['content']['application/json'],
) => {
  const current = await client.GET('/v1/dossiers/{code}', { params: { path: { code } } });
  const etag = current.response.headers.get('etag') ?? '';
  // The body is typed by the action's own path (above); one call serves the four paths, which
  // openapi-fetch cannot take as a union.
  const res = await client.POST(`/v1/dossiers/{code}/${action}` as '/v1/dossiers/{code}/resolve', {
    params: { path: { code }, header: { 'if-match': etag } },
    body: body as never,
  });
  expect({ action, status: res.response.status }).toEqual({ action, status: 200 });
};
const slip = async (code: string, form: '01' | '05'): Promise<ReadPdf> => {
  const { data, response } = await client.GET('/v1/dossiers/{code}/slips/{form}', {
    params: { path: { code, form } },
    parseAs: 'arrayBuffer',
  });
  expect({ form, status: response.status, type: response.headers.get('content-type') }).toEqual({
    form,
    status: 200,
    type: 'application/pdf',
  });
  return readPdf(Buffer.from(data!));
};

/** A raw call, for what a typed client does not send: the acting-officer headers, other credentials. */
const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(suite.url + path, {
    method,
    // A header given as '' is left out (a caller without the administrator key).
    headers: Object.fromEntries(
      Object.entries({
        ...suite.adminHeaders,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      }).filter(([, v]) => v !== ''),
    ),
    body: body === undefined ? null : JSON.stringify(body),
  });
  const type = res.headers.get('content-type') ?? '';
  const text = await res.text();
  return { status: res.status, type, body: type.includes('json') ? JSON.parse(text) : undefined };
};

describe('slips through the gateway', () => {
  it('prints the whole trail on the control sheet with agencies by name, and the tracking link in the QR codes', async () => {
    const filed = await eventually(
      async () => {
        const r = await client.POST('/v1/dossiers', {
          body: {
            procedureCode: '1.004579',
            source: 'desk',
            channel: 'direct',
            applicant: { kind: 'person', fullName: 'Nguyễn Văn An', phone: '0905123456' },
            components: PROCEDURE.components.filter((c) => c.case === null).map((c) => ({ name: c.name })),
          },
        });
        return r.response.status === 201 ? r.data : undefined;
      },
      { what: 'the intake to know the demo procedure', timeoutMs: 20_000 },
    );
    expect(filed.status).toBe('received');
    const code = filed.code;

    now = new Date('2026-11-25T03:00:00Z');
    await act(code, 'request-supplement', { reason: 'Thiếu giấy tờ', items: ['Giấy khám sức khỏe'] });
    now = new Date('2026-11-27T03:00:00Z');
    await act(code, 'complete-supplement', {});
    now = new Date('2026-12-03T08:00:00Z');
    await act(code, 'resolve', { resultNumber: '77/CCHND-SYT' });
    now = new Date('2026-12-04T02:00:00Z');
    await act(code, 'return', { method: 'desk' });

    const sheet = await eventually(
      async () => {
        const pdf = await slip(code, '05');
        // The directory of agencies comes from the catalogue; a code stands in until it answers.
        return pdf.text.includes('Cơ quan (bộ phận) giải quyết hồ sơ: Sở Y tế') ? pdf : undefined;
      },
      { what: 'the agency names on the control sheet', timeoutMs: 20_000 },
    );
    const text = sheet.text;
    const order = [
      'Tiếp nhận hồ sơ',
      'Nhận: Sở Y tế', // the paper carried to the deciding agency
      'Yêu cầu bổ sung, hoàn thiện hồ sơ',
      'Nộp hồ sơ đã bổ sung, hoàn thiện',
      'Chuyển kết quả giải quyết',
      'Trả kết quả',
    ].map((note) => ({ note, at: text.indexOf(note) }));
    expect(order.filter((o) => o.at < 0)).toEqual([]);
    expect(order.map((o) => o.at)).toEqual([...order.map((o) => o.at)].sort((a, b) => a - b));
    expect(text).toContain('Nhận: Trung tâm Phục vụ hành chính công tỉnh');
    expect(text).toContain('Nhận: Tổ chức, cá nhân nộp hồ sơ – Nguyễn Văn An');
    // Agencies by name where a person reads; no API key anywhere.
    expect(text).not.toMatch(/\d{3}\.\d{2}\.\d{2}\.H55 /);
    expect(text).not.toContain('key:');

    const link = `${TRACKING_URL_BASE}/${encodeURIComponent(code)}`;
    expect(encodes(sheet, link)).toBe(true);
    expect(encodes(await slip(code, '01'), link)).toBe(true);
  });

  describe('the person acting, not the key', () => {
    const fileAs = (headers: Record<string, string>) =>
      call(
        'POST',
        '/v1/dossiers',
        {
          procedureCode: '1.004579',
          source: 'desk',
          channel: 'direct',
          applicant: { kind: 'person', fullName: 'Lê Thị Mai', phone: '0905000111' },
          components: PROCEDURE.components.filter((c) => c.case === null).map((c) => ({ name: c.name })),
        },
        headers,
      );
    const deskKey = async (mayStateOfficer: boolean) => {
      const res = await call('POST', '/v1/admin/api-keys', {
        name: 'Phần mềm một cửa',
        owner: mayStateOfficer ? 'desk-software' : 'desk-kiosk',
        roles: ['desk_officer'],
        agencyCode: '000.20.17.H55',
        mayStateOfficer,
      });
      expect(res.status).toBe(201);
      expect(res.body.mayStateOfficer).toBe(mayStateOfficer);
      return res.body.key as string;
    };
    const namesOnPaper = async (code: string, name: string) => {
      const history = await call('GET', `/v1/dossiers/${code}/history`);
      expect(history.status).toBe(200);
      const receipt = (
        history.body.items as { action: string; actor: string; actorName: string | null }[]
      )[0]!;
      expect(receipt.actorName).toBe(name);
      const receiptSlip = await slip(code, '01');
      expect(receiptSlip.text).toContain(name);
      expect(receiptSlip.text).not.toContain('key:');
      const sheet = await slip(code, '05');
      expect(sheet.text).toContain(name);
      expect(sheet.text).not.toContain('key:');
      return receipt;
    };

    it('names the officer a desk system states it acts for (a key allowed to), and the key only as the channel', async () => {
      now = new Date('2026-11-24T02:00:00Z');
      const key = await deskKey(true);
      const filed = await fileAs({
        'x-api-key': key,
        'x-acting-officer-id': 'hoa.nt',
        'x-acting-officer-name': encodeURIComponent('Nguyễn Thị Hoa'),
        'x-acting-officer-unit': encodeURIComponent('Bộ phận Một cửa'),
      });
      expect(filed.status).toBe(201);
      const receipt = await namesOnPaper(filed.body.code, 'Nguyễn Thị Hoa');
      expect(receipt.actor).toMatch(/^key:desk-software:/);
    });

    it('refuses the headers from a key not allowed to state an officer, and malformed ones by name', async () => {
      const kiosk = await deskKey(false);
      const refused = await fileAs({
        'x-api-key': kiosk,
        'x-acting-officer-id': 'hoa.nt',
        'x-acting-officer-name': 'Hoa',
      });
      expect(refused.status).toBe(403);
      expect(refused.type).toContain('application/problem+json');
      expect(refused.body.code).toBe('acting_officer_not_allowed');

      const allowed = await deskKey(true);
      const noName = await fileAs({ 'x-api-key': allowed, 'x-acting-officer-id': 'hoa.nt' });
      expect(noName.status).toBe(400);
      expect(noName.body.errors).toEqual([
        expect.objectContaining({ in: 'headers', pointer: '/x-acting-officer-name' }),
      ]);
      const broken = await fileAs({
        'x-api-key': allowed,
        'x-acting-officer-id': 'hoa.nt',
        'x-acting-officer-name': 'Nguy%E1n',
      });
      expect(broken.status).toBe(400);
      expect(broken.body.errors[0].pointer).toBe('/x-acting-officer-name');
    });

    it('names an officer signed in with a token, from the name claim', async () => {
      now = new Date('2026-11-24T03:00:00Z');
      const token = await new SignJWT({
        roles: ['desk_officer'],
        agency_code: '000.20.17.H55',
        name: 'Trần Văn Bình',
      })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('binh.tv')
        .setIssuer('https://sso.test')
        .setAudience('tthc')
        .setIssuedAt()
        .setExpirationTime('30m')
        .sign(new TextEncoder().encode(TEST_JWT_SECRET));
      const filed = await fileAs({ 'x-api-key': '', authorization: `Bearer ${token}` });
      expect(filed.status).toBe(201);
      const receipt = await namesOnPaper(filed.body.code, 'Trần Văn Bình');
      expect(receipt.actor).toBe('binh.tv');
    });
  });
});
