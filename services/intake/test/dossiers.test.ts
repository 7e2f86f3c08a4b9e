import { identityHeaders, openTestResources, TEST_INTERNAL_SECRET, type TestResources } from '@tthc/testkit';
import type { ServiceApp } from '@tthc/service-kit';
import { buildApp } from '../src/app';
import { addProcedureStatus, upsertProcedureVersion } from '../src/db/procedure.repository';
import { SCHEMA, type IntakeDb } from '../src/db/schema';
import { dossierCode } from '../src/domain/dossier-code';

let t: TestResources<IntakeDb>;
let app: ServiceApp;
let headers: Record<string, string>;
// 09:00 on 23/11/2026 in Hà Nội.
let now = new Date('2026-11-23T02:00:00Z');

const applicant = { kind: 'person', fullName: 'Nguyễn Văn An', idNumber: '001085012345', phone: '0912345678' };
const file = (payload: object) => app.inject({ method: 'POST', url: '/v1/dossiers', headers, payload });

beforeAll(async () => {
  t = await openTestResources<IntakeDb>(SCHEMA);
  app = await buildApp({
    config: { INTERNAL_AUTH_SECRET: TEST_INTERNAL_SECRET },
    logger: t.logger,
    db: t.db,
    redis: t.redis,
    clock: () => now,
    onEventsWritten: () => undefined,
  });
  headers = await identityHeaders();
  await upsertProcedureVersion(t.db, {
    code: '1.004579',
    procedure_id: '3e5d1a2b-7c4f-4e8a-9b6d-0f1e2d3c4b5a',
    version: 1,
    name: 'Cấp chứng chỉ hành nghề dược',
    field_code: 'DUOC_PHAM',
    deciding_agency_code: '000.00.17.H55',
    receiving_agency_code: '000.20.17.H55',
    online_level: 'partial',
    methods: JSON.stringify([{ channel: 'direct', processingTime: { value: 15, unit: 'working_days' }, fees: [], note: null }]),
    components: JSON.stringify([]),
    inter_agency: null,
    fee_bearing: false,
    valid_from: '2026-01-10',
  });
  await addProcedureStatus(t.db, { code: '1.004579', effective_from: '2026-01-10', status: 'published', event_version: 2 });
});
afterAll(async () => {
  await app.close();
  await t.close();
});

describe('dossier code', () => {
  it('uses the receipt date in Việt Nam, not UTC', () => {
    // 23:30 UTC on 23/11 is 06:30 on 24/11 in Hà Nội.
    expect(dossierCode('000.00.17.H55', new Date('2026-11-23T23:30:00Z'), 7)).toBe('000.00.17.H55-261124-0007');
  });
});

describe('POST /v1/dossiers', () => {
  it('receives a dossier with its code and writes dossier.received in the same transaction', async () => {
    const res = await file({ procedureCode: '1.004579', channel: 'direct', applicant });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ code: '000.20.17.H55-261123-0001', status: 'received', agencyCode: '000.00.17.H55', receivingAgencyCode: '000.20.17.H55' });
    expect(JSON.stringify(body)).not.toContain('0912345678');
    const event = await t.db.selectFrom('outbox').selectAll().where('entity_id', '=', body.id).executeTakeFirstOrThrow();
    expect(event.type).toBe('dossier.received');
    expect(event.payload).toMatchObject({ code: body.code, channel: 'direct', agencyCode: '000.00.17.H55' });
  });

  it('gives 50 parallel receipts 50 distinct serials', async () => {
    now = new Date('2026-11-24T03:00:00Z');
    const results = await Promise.all(
      Array.from({ length: 50 }, () => file({ procedureCode: '1.004579', channel: 'online', applicant })),
    );
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
    const serials = results.map((r) => Number((r.json().code as string).split('-').pop())).sort((a, b) => a - b);
    expect(serials).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('refuses an unknown procedure naming the field, and writes nothing', async () => {
    const before = await t.db.selectFrom('dossiers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await file({ procedureCode: '9.999999', channel: 'direct', applicant });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'unknown_procedure', errors: [{ pointer: '/procedureCode' }] });
    const after = await t.db.selectFrom('dossiers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('names each invalid applicant field', async () => {
    const res = await file({
      procedureCode: '1.004579',
      channel: 'fax',
      applicant: { ...applicant, phone: '12345', idNumber: '12ab', email: 'not-an-email' },
    });
    expect(res.statusCode).toBe(400);
    const pointers = res.json().errors.map((e: { pointer: string }) => e.pointer).sort();
    expect(pointers).toEqual(['/applicant/email', '/applicant/idNumber', '/applicant/phone', '/channel']);
  });
});
