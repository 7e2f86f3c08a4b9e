import { identityHeaders, openTestResources, TEST_INTERNAL_SECRET, type TestResources } from '@tthc/testkit';
import type { ServiceApp } from '@tthc/service-kit';
import { buildApp } from '../src/app';
import { SCHEMA, type CatalogueDb } from '../src/db/schema';

let t: TestResources<CatalogueDb>;
let app: ServiceApp;
let headers: Record<string, string>;
const now = new Date('2026-11-23T02:00:00Z');

const procedure = (code: string, name: string, fieldCode = 'DUOC_PHAM') => ({
  code,
  name,
  fieldCode,
  agencyCode: '000.00.00.H55',
  processingDays: 15,
  onlineLevel: 'partial',
});

beforeAll(async () => {
  t = await openTestResources<CatalogueDb>(SCHEMA);
  app = await buildApp({
    config: { INTERNAL_AUTH_SECRET: TEST_INTERNAL_SECRET },
    logger: t.logger,
    db: t.db,
    redis: t.redis,
    clock: () => now,
    onEventsWritten: () => undefined,
  });
  headers = await identityHeaders();
  for (const [code, name] of [
    ['DUOC_PHAM', 'Dược phẩm'],
    ['ATTP', 'An toàn thực phẩm'],
  ]) {
    const res = await app.inject({ method: 'POST', url: '/v1/fields', headers, payload: { code, name } });
    expect(res.statusCode).toBe(201);
  }
  for (const p of [
    procedure('1.004579', 'Cấp chứng chỉ hành nghề dược'),
    procedure('1.002339', 'Cấp giấy phép hoạt động khám bệnh, chữa bệnh', 'ATTP'),
    procedure('2.000815', 'Cấp giấy chứng nhận đủ điều kiện kinh doanh dược'),
  ]) {
    const res = await app.inject({ method: 'POST', url: '/v1/procedures', headers, payload: p });
    expect(res.statusCode).toBe(201);
  }
});
afterAll(async () => {
  await app.close();
  await t.close();
});

describe('fields', () => {
  it('refuses a second field with the same code', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/fields', headers, payload: { code: 'ATTP', name: 'Khác' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('field_exists');
  });

  it('stores Vietnamese names in NFC whatever form they arrive in', async () => {
    const nfd = 'Mỹ phẩm'.normalize('NFD');
    await app.inject({ method: 'POST', url: '/v1/fields', headers, payload: { code: 'MY_PHAM', name: nfd } });
    const list = (await app.inject({ method: 'GET', url: '/v1/fields', headers })).json();
    const stored = list.items.find((f: { code: string }) => f.code === 'MY_PHAM');
    expect(stored.name).toBe('Mỹ phẩm'.normalize('NFC'));
    expect(stored.name).not.toBe(nfd);
  });
});

describe('procedures', () => {
  it('publishes a procedure and writes procedure.published in the same transaction', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/procedures/1.004579', headers });
    expect(res.json()).toMatchObject({ code: '1.004579', status: 'published', version: 1, fieldCode: 'DUOC_PHAM' });
    const events = await t.db.selectFrom('outbox').selectAll().where('type', '=', 'procedure.published').execute();
    expect(events.map((e) => (e.payload as { code: string }).code).sort()).toEqual(['1.002339', '1.004579', '2.000815']);
  });

  it('names the field when the procedure refers to an unknown field, and writes nothing', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/procedures',
      headers,
      payload: procedure('1.009999', 'Thủ tục thử', 'KHONG_CO'),
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'unknown_field', errors: [{ in: 'body', pointer: '/fieldCode' }] });
    expect(await t.db.selectFrom('procedures').where('code', '=', '1.009999').selectAll().execute()).toHaveLength(0);
    expect((await app.inject({ method: 'GET', url: '/v1/procedures/1.009999', headers })).statusCode).toBe(404);
  });

  it('refuses a malformed national code and agency code with the reason', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/procedures',
      headers,
      payload: { ...procedure('1.04579', 'Sai mã'), agencyCode: 'h55', processingDays: -1 },
    });
    expect(res.statusCode).toBe(400);
    const pointers = res.json().errors.map((e: { pointer: string }) => e.pointer).sort();
    expect(pointers).toEqual(['/agencyCode', '/code', '/processingDays']);
  });

  it('finds procedures without accents: duoc finds Dược', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/procedures?q=duoc', headers });
    expect(res.json().items.map((p: { code: string }) => p.code)).toEqual(['1.004579', '2.000815']);
    const phrase = await app.inject({ method: 'GET', url: `/v1/procedures?q=${encodeURIComponent('giay phep')}`, headers });
    expect(phrase.json().items.map((p: { code: string }) => p.code)).toEqual(['1.002339']);
  });

  it('pages with a cursor without repeating or skipping', async () => {
    const first = (await app.inject({ method: 'GET', url: '/v1/procedures?limit=2', headers })).json();
    expect(first.items).toHaveLength(2);
    const second = (await app.inject({ method: 'GET', url: `/v1/procedures?limit=2&cursor=${first.nextCursor}`, headers })).json();
    expect([...first.items, ...second.items].map((p: { code: string }) => p.code)).toEqual(['1.002339', '1.004579', '2.000815']);
    expect(second.nextCursor).toBeNull();
  });
});
