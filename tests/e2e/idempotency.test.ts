import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '@tthc/testkit';
import { startSuite, type Suite } from '../support/suite';

/**
 * Issue 16, item 3: every POST that creates something takes an Idempotency-Key, scoped to the
 * caller, with the dossier intake's semantics: the same key and request get the first answer
 * and create nothing new; the same key with another request is refused (422).
 */
const spec = JSON.parse(readFileSync(join(__dirname, '../../openapi/openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: object }>>;
  components: { schemas: Record<string, { examples?: unknown[] }> };
};
const example = (name: string) => structuredClone(spec.components.schemas[name]!.examples![0]) as any;

let suite: Suite;
let otherCaller: Record<string, string>;
let now = new Date('2026-04-02T02:00:00Z');

beforeAll(async () => {
  suite = await startSuite(() => now, { demoCatalogue: true });
  const issued = await post('/v1/admin/api-keys', {
    name: 'Phần mềm một cửa thử',
    owner: 'desk-software',
    roles: ['admin'],
  });
  otherCaller = { 'x-api-key': issued.body.key };
}, 60_000);
afterAll(() => suite.close());

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(suite.url + path, {
    method: 'POST',
    headers: { ...suite.adminHeaders, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}
const get = async (path: string) =>
  (await (await fetch(suite.url + path, { headers: suite.adminHeaders })).json()) as any;

/** Sends a request twice with one key, then with another body; returns the first answer. */
async function retried(path: string, body: unknown, changed: unknown, key: string) {
  const first = await post(path, body, { 'idempotency-key': key });
  expect({ path, status: first.status, detail: first.body.detail }).toEqual({
    path,
    status: expect.any(Number),
    detail: undefined,
  });
  expect(first.status).toBeLessThan(300);
  const again = await post(path, body, { 'idempotency-key': key });
  expect({ path, status: again.status, body: again.body }).toEqual({
    path,
    status: first.status,
    body: first.body,
  });
  expect(again.headers.get('idempotent-replayed')).toBe('true');
  expect(again.headers.get('location')).toBe(first.headers.get('location'));
  const other = await post(path, changed, { 'idempotency-key': key });
  expect({ path, status: other.status, code: other.body.code }).toEqual({
    path,
    status: 422,
    code: 'idempotency_key_reused',
  });
  return first;
}

describe('Idempotency-Key on the creating POSTs', () => {
  it('is declared on every operation that answers 201 or 202 with something created', () => {
    const creating = Object.entries(spec.paths)
      // Not API key issuance: its answer holds the key, shown once and never stored; a stored
      // answer to replay would keep it.
      .filter(([path, item]) => item['post'] && !path.startsWith('/v1/admin/'))
      .filter(([, item]) => Object.keys(item['post']!.responses).some((s) => s === '201' || s === '202'))
      .map(([path, item]) => ({
        path,
        declared: (item['post']!.parameters ?? []).some(
          (p) => p.in === 'header' && p.name === 'idempotency-key',
        ),
      }));
    expect(creating.length).toBeGreaterThan(8);
    expect(creating.filter((c) => !c.declared).map((c) => c.path)).toEqual([]);
    for (const path of [
      '/v1/dossiers/{code}/payments',
      '/v1/dossiers/{code}/rating',
      '/v1/feedback/{code}/rating',
      '/v1/procedures/import',
      '/v1/procedures/import/spreadsheet',
      '/v1/dossiers/import',
    ]) {
      expect({
        path,
        declared: spec.paths[path]!['post']!.parameters?.some((p) => p.name === 'idempotency-key'),
      }).toEqual({
        path,
        declared: true,
      });
    }
  });

  it('creates a field once: a retry gets the first answer, another body with the key is refused', async () => {
    const before = (await get('/v1/fields')).items.length;
    await retried(
      '/v1/fields',
      { code: 'THU_NGHIEM', name: 'Lĩnh vực thử nghiệm' },
      { code: 'THU_NGHIEM', name: 'Lĩnh vực khác' },
      'field-create-0001',
    );
    expect((await get('/v1/fields')).items.length).toBe(before + 1);
  });

  it('creates a procedure once', async () => {
    const body = { ...example('CreateProcedure'), code: '1.999001' };
    const first = await retried(
      '/v1/procedures',
      body,
      { ...body, name: `${body.name} (sửa)` },
      'procedure-create-0001',
    );
    expect(first.headers.get('location')).toBe('/v1/procedures/1.999001');
  });

  it('records a payment and a feedback once, and scopes keys to their caller', async () => {
    const procedure = await eventually(
      async () => {
        const p = await get('/v1/procedures/1.004579');
        return p.components ? p : undefined;
      },
      { what: 'the demo catalogue', timeoutMs: 20_000 },
    );
    const dossier = await eventually(
      async () => {
        const r = await post('/v1/dossiers', {
          procedureCode: '1.004579',
          source: 'desk',
          channel: 'direct',
          applicant: { kind: 'person', fullName: 'Nguyễn Văn An', phone: '0905123456' },
          components: procedure.components
            .filter((c: { case: string | null }) => c.case === null)
            .map((c: { name: string }) => ({ name: c.name })),
        });
        return r.status === 201 ? r.body : undefined;
      },
      { what: 'the intake to know the demo procedure', timeoutMs: 20_000 },
    );
    const payment = example('RecordPayment');
    await retried(
      `/v1/dossiers/${dossier.code}/payments`,
      payment,
      { ...payment, receiptNumber: 'BL-2026-000999' },
      'payment-0001',
    );
    expect((await get(`/v1/dossiers/${dossier.code}`)).payments).toHaveLength(1);

    const feedback = { ...example('ReceiveFeedback'), dossierCode: dossier.code };
    const first = await retried(
      '/v1/feedback',
      feedback,
      { ...feedback, content: 'Nội dung khác' },
      'feedback-0001',
    );
    // Another caller's key of the same name is its own: the request runs for it.
    const theirs = await post('/v1/feedback', feedback, {
      ...otherCaller,
      'idempotency-key': 'feedback-0001',
    });
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.code).not.toBe(first.body.code);
  });

  it('requests a report once', async () => {
    now = new Date('2026-04-02T02:00:00Z');
    const body = example('CreateReport');
    const first = await retried('/v1/reports', body, { ...body, formats: ['pdf'] }, 'report-0001');
    expect(first.status).toBe(202);
    const listed = await get('/v1/reports?kind=reform-report');
    expect(listed.items.filter((r: { id: string }) => r.id === first.body.id)).toHaveLength(1);
    expect(listed.items).toHaveLength(1);
  });

  it('gives the key back when the request fails, so a corrected retry runs', async () => {
    const bad = await post(
      '/v1/fields',
      { code: 'THU_NGHIEM_2', name: '' },
      { 'idempotency-key': 'field-create-0002' },
    );
    expect(bad.status).toBe(400);
    const conflicting = await post(
      '/v1/fields',
      { code: 'THU_NGHIEM', name: 'Lĩnh vực thử nghiệm' },
      { 'idempotency-key': 'field-create-0003' },
    );
    expect(conflicting.status).toBe(409);
    const retry = await post(
      '/v1/fields',
      { code: 'THU_NGHIEM', name: 'Lĩnh vực thử nghiệm' },
      { 'idempotency-key': 'field-create-0003' },
    );
    expect(retry.status).toBe(409);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
  });
});
