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
    expect(d).toMatchObject({ code: '000.20.17.H55-261123-0001', status: 'received', statusCode: 2, feesDue: 500000, ruleSetId: 'ND118-2025' });
    // 24–27/11 (4), 30/11–4/12 (9), 7–11/12 (14), Mon 14/12 (15): due 17:00 local.
    expect(d.dueAt).toBe('2026-12-14T10:00:00.000Z');
    expect(res.headers.etag).toBe('"1"');
  });

  it('writes the trail entry and the received and status events in the same transaction', async () => {
    const d = (await h.call('POST', '/v1/dossiers', desk())).json();
    const events = await h.t.db.selectFrom('outbox').select(['type', 'payload', 'entity_version']).where('entity_id', '=', d.id).execute();
    expect(events.map((e) => e.type).sort()).toEqual(['dossier.received', 'dossier.status_changed']);
    const received = events.find((e) => e.type === 'dossier.received')!.payload as Record<string, unknown>;
    expect(received).toMatchObject({ code: d.code, components: { total: 2, digitized: 1, reused: 1, fromCitizenStore: 0 }, feesDue: 500000 });
    const trail = (await h.call('GET', `/v1/dossiers/${d.code}/history`)).json().items;
    expect(trail).toEqual([expect.objectContaining({ action: 'receive', fromStatus: null, toStatus: 'received', actor: 'officer-1', actorRole: 'desk_officer', actorAgency: '000.20.17.H55' })]);
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

  it('keeps the text in NFC whatever form it arrives in', async () => {
    const nfd = 'Trần Thị Bích Ngọc'.normalize('NFD');
    const d = (await h.call('POST', '/v1/dossiers', desk({ applicant: { ...applicant, fullName: nfd } }))).json();
    expect(d.applicant.fullName).toBe('Trần Thị Bích Ngọc'.normalize('NFC'));
  });

  it('gives 50 parallel receipts 50 distinct serials', async () => {
    h.setNow('2026-11-24T03:00:00Z');
    const results = await Promise.all(Array.from({ length: 50 }, () => h.call('POST', '/v1/dossiers', desk({ channel: 'online' }))));
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
    const serials = results.map((r) => Number((r.json().code as string).split('-').pop())).sort((a, b) => a - b);
    expect(serials).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    h.setNow('2026-11-23T02:00:00Z');
  });
});

describe('portal submission', () => {
  it('waits for acceptance without a due date, then starts the clock when accepted', async () => {
    const submitted = (await h.call('POST', '/v1/dossiers', desk({ source: 'portal', channel: 'online' }))).json();
    expect(submitted).toMatchObject({ status: 'submitted', statusCode: 1, dueAt: null, receivedAt: null });
    h.setNow('2026-11-25T08:00:00Z'); // Wed 15:00 local
    const accepted = await act(h, submitted.code, 'accept');
    expect(accepted.statusCode).toBe(200);
    // From Wed 25/11: 26,27 (2), 30/11–4/12 (7), 7–11/12 (12), 14,15,16 (15).
    expect(accepted.json()).toMatchObject({ status: 'received', receivedAt: '2026-11-25T08:00:00.000Z', dueAt: '2026-12-16T10:00:00.000Z' });
    h.setNow('2026-11-23T02:00:00Z');
  });

  it('refuses a submission with its reason and never counts it as received', async () => {
    const submitted = (await h.call('POST', '/v1/dossiers', desk({ source: 'portal', channel: 'online' }))).json();
    const refused = await act(h, submitted.code, 'refuse', { reason: 'Không thuộc thẩm quyền' });
    expect(refused.json()).toMatchObject({ status: 'refused', statusCode: 3, receivedAt: null, timeliness: null });
    const events = await h.t.db.selectFrom('outbox').select('type').where('entity_id', '=', submitted.id).execute();
    expect(events.map((e) => e.type)).not.toContain('dossier.received');
  });
});

describe('idempotency', () => {
  it('returns the first answer to a retried request and creates nothing new', async () => {
    const key = { 'idempotency-key': 'desk-retry-00000001' };
    const first = await h.call('POST', '/v1/dossiers', desk(), key);
    const second = await h.call('POST', '/v1/dossiers', desk(), key);
    expect(second.statusCode).toBe(201);
    expect(second.json().code).toBe(first.json().code);
    const n = await h.t.db.selectFrom('dossiers').select('id').where('code', '=', first.json().code).execute();
    expect(n).toHaveLength(1);
  });

  it('creates one dossier for five parallel retries', async () => {
    const key = { 'idempotency-key': 'desk-retry-parallel-1' };
    const results = await Promise.all(Array.from({ length: 5 }, () => h.call('POST', '/v1/dossiers', desk(), key)));
    expect(new Set(results.map((r) => r.json().code)).size).toBe(1);
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
  const count = async () => (await h.t.db.selectFrom('dossiers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

  it('names an unknown procedure, and writes nothing', async () => {
    const before = await count();
    const res = await h.call('POST', '/v1/dossiers', desk({ procedureCode: '9.999999' }));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'unknown_procedure', errors: [{ pointer: '/procedureCode' }] });
    expect(await count()).toBe(before);
  });

  it('names each missing required component, by case', async () => {
    const res = await h.call('POST', '/v1/dossiers', desk({ components: [components[0]], case: 'Trường hợp cấp lại do bị mất' }));
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.map((e: { detail: string }) => e.detail).sort()).toEqual([
      'missing: Bản sao văn bằng chuyên môn',
      'missing: Văn bản đề nghị cấp lại',
    ]);
  });

  it('names each invalid applicant field and an unknown channel', async () => {
    const res = await h.call('POST', '/v1/dossiers', desk({ channel: 'fax', applicant: { ...applicant, phone: '12345', idNumber: '12ab', email: 'x@' } }));
    expect(res.statusCode).toBe(400);
    const pointers = res.json().errors.map((e: { pointer: string }) => e.pointer).sort();
    expect(pointers).toEqual(['/applicant/email', '/applicant/idNumber', '/applicant/phone', '/channel']);
  });

  it('refuses a postal hand-over dated in the future', async () => {
    const res = await h.call('POST', '/v1/dossiers', desk({ channel: 'postal', handedOverAt: '2026-11-30T02:00:00Z' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].pointer).toBe('/handedOverAt');
  });

  it('refuses an oversized payload with 413', async () => {
    const res = await h.call('POST', '/v1/dossiers', desk({ applicant: { ...applicant, address: 'x'.repeat(2 * 1024 * 1024) } }));
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
