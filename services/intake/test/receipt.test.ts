import { sql } from 'kysely';
import { upsertProcedureVersion } from '../src/db/procedure.repository';
import { act, applicant, components, desk, PROCEDURE, startIntake, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startIntake('2026-11-23T02:00:00Z'); // Monday 23/11/2026, 09:00 in Hà Nội
});
afterAll(() => h.close());

describe('receipt at the desk', () => {
  it('gives the code and the due date: 15 working days, the day of receipt not counted', async () => {
    const res = await h.call('POST', '/v1/dossiers', desk());
    expect(res.statusCode).toBe(201);
    const d = res.json();
    expect(d).toMatchObject({
      code: '000.20.17.H55-261123-0001',
      status: 'received',
      statusCode: 2,
      feesDue: 500000,
      ruleSetId: 'ND118-2025',
    });
    // 24–27/11 (4), 30/11–4/12 (9), 7–11/12 (14), Mon 14/12 (15): due 17:00 local.
    expect(d.dueAt).toBe('2026-12-14T10:00:00.000Z');
    expect(res.headers.etag).toBe('"1"');
  });

  it('writes the trail entry and the received and status events in the same transaction', async () => {
    const d = (await h.call('POST', '/v1/dossiers', desk())).json();
    const events = await h.t.db
      .selectFrom('outbox')
      .select(['type', 'payload', 'entity_version'])
      .where('entity_id', '=', d.id)
      .execute();
    expect(events.map((e) => e.type).sort()).toEqual(['dossier.received', 'dossier.status_changed']);
    const received = events.find((e) => e.type === 'dossier.received')!.payload as Record<string, unknown>;
    expect(received).toMatchObject({
      code: d.code,
      components: { total: 2, digitized: 1, reused: 1, fromCitizenStore: 0 },
      feesDue: 500000,
    });
    // What the indicators need, from the version the dossier was received under, without asking back.
    expect(received).toMatchObject({
      onlineLevel: 'full',
      feeBearing: true,
      processingTime: { value: 15, unit: 'working_days' },
      populationDataUsed: false,
    });
    expect(received).toMatchObject({
      dueAt: '2026-12-14T10:00:00.000Z',
      originalDueAt: '2026-12-14T10:00:00.000Z',
    });
    const trail = (await h.call('GET', `/v1/dossiers/${d.code}/history`)).json().items;
    expect(trail).toEqual([
      expect.objectContaining({
        action: 'receive',
        fromStatus: null,
        toStatus: 'received',
        actor: 'officer-1',
        actorRole: 'desk_officer',
        actorAgency: '000.20.17.H55',
      }),
    ]);
  });

  it('counts a receipt on a Saturday from the next working day', async () => {
    h.setNow('2026-11-28T03:00:00Z'); // Saturday 28/11
    const d = (await h.call('POST', '/v1/dossiers', desk())).json();
    // Counted from Mon 30/11: 1–4/12 (4), 7–11/12 (9), 14–18/12 (14), Mon 21/12 (15).
    expect(d.dueAt).toBe('2026-12-21T10:00:00.000Z');
    h.setNow('2026-11-23T02:00:00Z');
  });

  it('judges a dossier by the rule set in force at its receipt', async () => {
    h.setNow('2025-06-30T02:00:00Z');
    const before = (await h.call('POST', '/v1/dossiers', desk())).json();
    h.setNow('2025-07-01T02:00:00Z');
    const after = (await h.call('POST', '/v1/dossiers', desk())).json();
    expect([before.ruleSetId, after.ruleSetId]).toEqual(['ND61-2018', 'ND118-2025']);
    h.setNow('2026-11-23T02:00:00Z');
  });

  it('records that the applicant came from the population database (VNeID), on the dossier and its receipt event', async () => {
    const d = (await h.call('POST', '/v1/dossiers', desk({ populationDataUsed: true }))).json();
    expect(d.populationDataUsed).toBe(true);
    const received = await h.t.db
      .selectFrom('outbox')
      .select('payload')
      .where('entity_id', '=', d.id)
      .where('type', '=', 'dossier.received')
      .executeTakeFirstOrThrow();
    expect(received.payload).toMatchObject({ populationDataUsed: true });
  });

  it('keeps the text in NFC whatever form it arrives in', async () => {
    const nfd = 'Trần Thị Bích Ngọc'.normalize('NFD');
    const d = (
      await h.call('POST', '/v1/dossiers', desk({ applicant: { ...applicant, fullName: nfd } }))
    ).json();
    expect(d.applicant.fullName).toBe('Trần Thị Bích Ngọc'.normalize('NFC'));
  });

  it('gives 50 parallel receipts 50 distinct serials', async () => {
    h.setNow('2026-11-24T03:00:00Z');
    const results = await Promise.all(
      Array.from({ length: 50 }, () => h.call('POST', '/v1/dossiers', desk({ channel: 'online' }))),
    );
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
    const serials = results
      .map((r) => Number((r.json().code as string).split('-').pop()))
      .sort((a, b) => a - b);
    expect(serials).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    h.setNow('2026-11-23T02:00:00Z');
  });
});

describe('portal submission', () => {
  it('waits for acceptance without a due date, then starts the clock when accepted', async () => {
    const submitted = (
      await h.call('POST', '/v1/dossiers', desk({ source: 'portal', channel: 'online' }))
    ).json();
    expect(submitted).toMatchObject({ status: 'submitted', statusCode: 1, dueAt: null, receivedAt: null });
    h.setNow('2026-11-25T08:00:00Z'); // Wed 15:00 local
    const accepted = await act(h, submitted.code, 'accept');
    expect(accepted.statusCode).toBe(200);
    // From Wed 25/11: 26,27 (2), 30/11–4/12 (7), 7–11/12 (12), 14,15,16 (15).
    expect(accepted.json()).toMatchObject({
      status: 'received',
      receivedAt: '2026-11-25T08:00:00.000Z',
      dueAt: '2026-12-16T10:00:00.000Z',
    });
    h.setNow('2026-11-23T02:00:00Z');
  });

  it('refuses a submission with its reason and never counts it as received', async () => {
    const submitted = (
      await h.call('POST', '/v1/dossiers', desk({ source: 'portal', channel: 'online' }))
    ).json();
    const refused = await act(h, submitted.code, 'refuse', { reason: 'Không thuộc thẩm quyền' });
    expect(refused.json()).toMatchObject({
      status: 'refused',
      statusCode: 3,
      receivedAt: null,
      timeliness: null,
    });
    const events = await h.t.db
      .selectFrom('outbox')
      .select('type')
      .where('entity_id', '=', submitted.id)
      .execute();
    expect(events.map((e) => e.type)).not.toContain('dossier.received');
  });
});

describe('the code is issued at acceptance (Thông tư 01/2018/TT-VPCP)', () => {
  it('gives a submission a provisional reference, and the code with the date of acceptance; a refused one uses no serial', async () => {
    h.setNow('2026-11-26T01:00:00Z'); // Thu 26/11
    const a = (await h.call('POST', '/v1/dossiers', desk({ source: 'portal', channel: 'online' }))).json();
    expect(a.code).toMatch(/^P-261126-[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(a.reference).toBe(a.code);
    const b = (await h.call('POST', '/v1/dossiers', desk({ source: 'portal', channel: 'online' }))).json();
    expect((await act(h, b.code, 'refuse', { reason: 'Không thuộc thẩm quyền' })).json().code).toBe(b.code);
    // The refused and the waiting submissions took no serial of the day.
    expect((await h.call('POST', '/v1/dossiers', desk())).json().code).toBe('000.20.17.H55-261126-0001');
    h.setNow('2026-11-27T02:00:00Z'); // accepted the next day: the code carries Fri 27/11
    const accepted = (await act(h, a.code, 'accept')).json();
    expect(accepted).toMatchObject({
      code: '000.20.17.H55-261127-0001',
      reference: a.code,
      receivedAt: '2026-11-27T02:00:00.000Z',
    });
    // The reference still finds it.
    expect((await h.call('GET', `/v1/dossiers/${a.code}`)).json().code).toBe(accepted.code);
    const received = await h.t.db
      .selectFrom('outbox')
      .select('payload')
      .where('entity_id', '=', a.id)
      .where('type', '=', 'dossier.received')
      .executeTakeFirstOrThrow();
    expect(received.payload).toMatchObject({ code: '000.20.17.H55-261127-0001' });
    h.setNow('2026-11-23T02:00:00Z');
  });
});

describe('idempotency', () => {
  it('returns the first answer to a retried request and creates nothing new', async () => {
    const key = { 'idempotency-key': 'desk-retry-00000001' };
    const first = await h.call('POST', '/v1/dossiers', desk(), key);
    const second = await h.call('POST', '/v1/dossiers', desk(), key);
    expect(second.statusCode).toBe(201);
    expect(second.json().code).toBe(first.json().code);
    const n = await h.t.db
      .selectFrom('dossiers')
      .select('id')
      .where('code', '=', first.json().code)
      .execute();
    expect(n).toHaveLength(1);
  });

  it('creates one dossier for five parallel retries', async () => {
    const key = { 'idempotency-key': 'desk-retry-parallel-1' };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => h.call('POST', '/v1/dossiers', desk(), key)),
    );
    expect(new Set(results.map((r) => r.json().code)).size).toBe(1);
  });

  it('answers a retry with the first answer even when the request would now be refused', async () => {
    // A postal hand-over of the day before, filed; the answer is lost; the retry comes 40 days
    // later, when a hand-over that old is refused (400 invalid_handover_time).
    const key = { 'idempotency-key': 'desk-retry-late-0001' };
    const body = desk({ channel: 'postal', handedOverAt: '2026-11-22T02:00:00Z' });
    const first = await h.call('POST', '/v1/dossiers', body, key);
    expect(first.statusCode).toBe(201);
    h.setNow('2027-01-02T02:00:00Z');
    try {
      expect((await h.call('POST', '/v1/dossiers', body)).statusCode).toBe(400);
      const retry = await h.call('POST', '/v1/dossiers', body, key);
      expect(retry.statusCode).toBe(201);
      expect(retry.json().code).toBe(first.json().code);
    } finally {
      h.setNow('2026-11-23T02:00:00Z');
    }
  });

  it('refuses a key reused with a different body', async () => {
    const key = { 'idempotency-key': 'desk-retry-00000002' };
    await h.call('POST', '/v1/dossiers', desk(), key);
    const res = await h.call('POST', '/v1/dossiers', desk({ channel: 'postal' }), key);
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('idempotency_key_reused');
  });
});

describe('bad input', () => {
  const count = async () =>
    (
      await h.t.db
        .selectFrom('dossiers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  it('names an unknown procedure, and writes nothing', async () => {
    const before = await count();
    const res = await h.call('POST', '/v1/dossiers', desk({ procedureCode: '9.999999' }));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'unknown_procedure', errors: [{ pointer: '/procedureCode' }] });
    expect(await count()).toBe(before);
  });

  it('names each missing required component, by case', async () => {
    const res = await h.call(
      'POST',
      '/v1/dossiers',
      desk({ components: [components[0]], case: 'Trường hợp cấp lại do bị mất' }),
    );
    expect(res.statusCode).toBe(422);
    expect(
      res
        .json()
        .errors.map((e: { detail: string }) => e.detail)
        .sort(),
    ).toEqual(['missing: Bản sao văn bằng chuyên môn', 'missing: Văn bản đề nghị cấp lại']);
  });

  it('names each invalid applicant field and an unknown channel', async () => {
    const res = await h.call(
      'POST',
      '/v1/dossiers',
      desk({ channel: 'fax', applicant: { ...applicant, phone: '12345', idNumber: '12ab', email: 'x@' } }),
    );
    expect(res.statusCode).toBe(400);
    const pointers = res
      .json()
      .errors.map((e: { pointer: string }) => e.pointer)
      .sort();
    expect(pointers).toEqual(['/applicant/email', '/applicant/idNumber', '/applicant/phone', '/channel']);
  });

  it('refuses a postal hand-over dated in the future', async () => {
    const res = await h.call(
      'POST',
      '/v1/dossiers',
      desk({ channel: 'postal', handedOverAt: '2026-11-30T02:00:00Z' }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].pointer).toBe('/handedOverAt');
  });

  it('refuses an oversized payload with 413', async () => {
    const res = await h.call(
      'POST',
      '/v1/dossiers',
      desk({ applicant: { ...applicant, address: 'x'.repeat(2 * 1024 * 1024) } }),
    );
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it('uses the procedure code of a procedure not in force on the receipt date as unknown', async () => {
    h.setNow('2024-12-31T02:00:00Z');
    const res = await h.call('POST', '/v1/dossiers', desk());
    expect(res.statusCode).toBe(422);
    h.setNow('2026-11-23T02:00:00Z');
  });

  it('knows the procedure it tests', () => {
    expect(PROCEDURE).toBe('1.004579');
  });
});

describe('acceptance under a new procedure version and rule set', () => {
  it('uses the version and the rule set in force when the desk accepts, not when the citizen submitted', async () => {
    h.setNow('2026-11-30T02:00:00Z'); // Mon 30/11
    const submitted = (
      await h.call('POST', '/v1/dossiers', desk({ source: 'portal', channel: 'online' }))
    ).json();
    expect(submitted.procedureVersion).toBe(1);
    // From Tue 1/12 the procedure takes 10 working days, and a new rule set applies.
    const v1 = await h.t.db
      .selectFrom('procedure_versions')
      .selectAll()
      .where('code', '=', PROCEDURE)
      .where('version', '=', 1)
      .executeTakeFirstOrThrow();
    await upsertProcedureVersion(h.t.db, {
      ...v1,
      version: 2,
      valid_from: '2026-12-01',
      updated_at: undefined,
      methods: JSON.stringify(
        (v1.methods as { processingTime: unknown }[]).map((m) => ({
          ...m,
          processingTime: { value: 10, unit: 'working_days' },
        })),
      ),
      components: JSON.stringify(v1.components),
    });
    h.procedures.invalidate(); // written behind the app's back, not through a procedure event
    await sql`insert into rule_sets (id, name, legal_basis, effective_from, params)
      select 'TEST-2026-12', 'Thử nghiệm', 'Quyết định thử nghiệm', '2026-12-01', params from rule_sets where id = 'ND118-2025'`.execute(
      h.t.db,
    );
    h.setNow('2026-12-01T02:00:00Z');
    const accepted = (await act(h, submitted.code, 'accept')).json();
    // 10 working days after Tue 1/12: Tue 15/12.
    expect(accepted).toMatchObject({
      procedureVersion: 2,
      ruleSetId: 'TEST-2026-12',
      dueAt: '2026-12-15T10:00:00.000Z',
      processingTime: { value: 10, unit: 'working_days' },
    });
  });
});

describe('the serial in the receipt statement', () => {
  it('gives the 10,000th receipt of a day a five-digit serial, as dossierCode would', async () => {
    h.setNow('2026-11-25T02:00:00Z'); // Wed 25/11
    await sql`insert into dossier_serials (agency_code, day, last_serial) values ('000.20.17.H55', '2026-11-25', 9999)
      on conflict (agency_code, day) do update set last_serial = 9999`.execute(h.t.db);
    const res = await h.call('POST', '/v1/dossiers', desk());
    expect(res.statusCode).toBe(201);
    expect(res.json().code).toBe('000.20.17.H55-261125-10000');
  });
});
