import {
  createPublished,
  decision,
  procedure,
  seedReferenceData,
  startCatalogue,
  type Harness,
} from './fixtures';

let h: Harness;
beforeAll(async () => {
  h = await startCatalogue();
  await seedReferenceData(h);
});
afterAll(() => h.close());

const get = (url: string) => h.app.inject({ method: 'GET', url, headers: h.headers });
const post = (url: string, payload: unknown, etag?: string) =>
  h.app.inject({
    method: 'POST',
    url,
    headers: { ...h.headers, ...(etag ? { 'if-match': etag } : {}) },
    payload: payload as object,
  });

describe('procedure lifecycle', () => {
  it('creates a draft that is not counted until a decision publishes it', async () => {
    const res = await post('/v1/procedures', procedure('1.000001'));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      status: 'draft',
      version: 1,
      complete: true,
      feeBearing: true,
      decision: null,
    });
    const published = await get('/v1/procedures?status=published');
    expect(published.json().items.map((p: { code: string }) => p.code)).not.toContain('1.000001');
  });

  it('refuses to publish without a decision, naming each missing part', async () => {
    const created = await get('/v1/procedures/1.000001');
    const res = await post('/v1/procedures/1.000001/publish', {}, created.headers.etag as string);
    expect(res.statusCode).toBe(400);
    const pointers = res
      .json()
      .errors.map((e: { pointer: string }) => e.pointer)
      .sort();
    expect(pointers).toEqual(['/decisionNumber', '/effectiveFrom', '/signedOn']);
  });

  it('refuses a malformed decision number and an effective date before signing', async () => {
    const created = await get('/v1/procedures/1.000001');
    const res = await post(
      '/v1/procedures/1.000001/publish',
      decision('QĐ 184', '2026-02-10', '2026-02-01'),
      created.headers.etag as string,
    );
    expect(res.statusCode).toBe(400);
    const pointers = res
      .json()
      .errors.map((e: { pointer: string }) => e.pointer)
      .sort();
    expect(pointers).toEqual(['/decisionNumber', '/effectiveFrom']);
  });

  it('publishes by a decision, records it in the history and emits procedure.published', async () => {
    const created = await get('/v1/procedures/1.000001');
    const res = await post(
      '/v1/procedures/1.000001/publish',
      decision('184/QĐ-UBND', '2026-01-05', '2026-01-10'),
      created.headers.etag as string,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'published',
      localCode: '1.000001.000.00.00.H55',
      validFrom: '2026-01-10',
      decision: { decisionNumber: '184/QĐ-UBND', signedOn: '2026-01-05' },
    });
    const history = (await get('/v1/procedures/1.000001/history')).json().items;
    expect(history.map((x: { action: string }) => x.action)).toEqual(['created', 'published']);
    expect(history[1]).toMatchObject({
      decisionNumber: '184/QĐ-UBND',
      effectiveFrom: '2026-01-10',
      actor: 'officer-1',
    });
    const events = await h.t.db
      .selectFrom('outbox')
      .selectAll()
      .where('type', '=', 'procedure.published')
      .execute();
    expect(events.map((e) => (e.payload as { code: string }).code)).toContain('1.000001');
  });

  it('amends into a new version while the old keeps its validity window, and reads as of a date', async () => {
    const current = await get('/v1/procedures/1.000001');
    const content = {
      ...procedure('1.000001'),
      code: undefined,
      name: 'Thủ tục sửa đổi',
      onlineLevel: 'full',
      legacyLevel: 4,
    };
    const res = await post(
      '/v1/procedures/1.000001/amendments',
      { content, decision: decision('25/QĐ-UBND', '2026-03-01', '2026-03-15') },
      current.headers.etag as string,
    );
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      version: 2,
      name: 'Thủ tục sửa đổi',
      validFrom: '2026-03-15',
      validTo: null,
    });
    const versions = (await get('/v1/procedures/1.000001/versions')).json().items;
    expect(
      versions.map((v: { version: number; validFrom: string; validTo: string | null }) => [
        v.version,
        v.validFrom,
        v.validTo,
      ]),
    ).toEqual([
      [1, '2026-01-10', '2026-03-15'],
      [2, '2026-03-15', null],
    ]);
    expect((await get('/v1/procedures/1.000001?asOf=2026-03-14')).json()).toMatchObject({
      version: 1,
      name: 'Thủ tục 1.000001',
    });
    expect((await get('/v1/procedures/1.000001?asOf=2026-03-15')).json()).toMatchObject({
      version: 2,
      name: 'Thủ tục sửa đổi',
    });
    expect((await get('/v1/procedures/1.000001?asOf=2026-01-09')).statusCode).toBe(404);
  });

  it('refuses an amendment that does not take effect after the version in force', async () => {
    const current = await get('/v1/procedures/1.000001');
    const res = await post(
      '/v1/procedures/1.000001/amendments',
      {
        content: { ...procedure('1.000001'), code: undefined },
        decision: decision('26/QĐ-UBND', '2026-03-01', '2026-03-10'),
      },
      current.headers.etag as string,
    );
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'amendment_not_after_current',
      errors: [{ pointer: '/effectiveFrom' }],
    });
  });

  it('abolishes by a decision: gone from the published list from its effective date, readable with its history', async () => {
    const current = await get('/v1/procedures/1.000001');
    const res = await post(
      '/v1/procedures/1.000001/abolish',
      { ...decision('300/QĐ-UBND', '2026-05-20', '2026-05-25'), reason: 'Bãi bỏ theo Nghị định mới' },
      current.headers.etag as string,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('abolished');
    const before = await get('/v1/procedures?status=published&asOf=2026-05-24');
    expect(before.json().items.map((p: { code: string }) => p.code)).toContain('1.000001');
    const after = await get('/v1/procedures?status=published&asOf=2026-05-25');
    expect(after.json().items.map((p: { code: string }) => p.code)).not.toContain('1.000001');
    const asOfAfter = (await get('/v1/procedures/1.000001?asOf=2026-06-01')).json();
    expect(asOfAfter).toMatchObject({ status: 'abolished', version: 2 });
    expect((await get('/v1/procedures/1.000001?asOf=2026-05-24')).json().status).toBe('published');
    const history = (await get('/v1/procedures/1.000001/history')).json().items;
    expect(history.map((x: { action: string }) => x.action)).toEqual([
      'created',
      'published',
      'amended',
      'abolished',
    ]);
    expect(history[3].reason).toBe('Bãi bỏ theo Nghị định mới');
  });

  it('refuses to amend an abolished procedure with 409 naming its status', async () => {
    const current = await get('/v1/procedures/1.000001');
    const res = await post(
      '/v1/procedures/1.000001/amendments',
      {
        content: { ...procedure('1.000001'), code: undefined },
        decision: decision('27/QĐ-UBND', '2026-05-30', '2026-06-01'),
      },
      current.headers.etag as string,
    );
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'invalid_transition', currentStatus: 'abolished' });
  });

  it('suspends and resumes by decisions', async () => {
    let etag = await createPublished(h, procedure('1.000002'));
    const suspended = await post(
      '/v1/procedures/1.000002/suspend',
      decision('40/QĐ-UBND', '2026-02-01', '2026-02-02'),
      etag,
    );
    expect(suspended.json().status).toBe('suspended');
    etag = suspended.headers.etag as string;
    expect(
      (await post('/v1/procedures/1.000002/amendments', { content: {}, decision: {} }, etag)).statusCode,
    ).toBe(400);
    const resumed = await post(
      '/v1/procedures/1.000002/resume',
      decision('41/QĐ-UBND', '2026-02-20', '2026-02-21'),
      etag,
    );
    expect(resumed.json().status).toBe('published');
    expect((await get('/v1/procedures/1.000002?asOf=2026-02-10')).json().status).toBe('suspended');
  });

  it('refuses a decision signed in the future', async () => {
    const created = await post('/v1/procedures', procedure('1.000003'));
    const res = await post(
      '/v1/procedures/1.000003/publish',
      decision('50/QĐ-UBND', '2027-01-01', '2027-01-05'),
      created.headers.etag as string,
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('decision_in_future');
  });

  it('keeps the history append-only in the database', async () => {
    await expect(h.t.db.deleteFrom('procedure_history').execute()).rejects.toThrow(/append-only/);
    await expect(h.t.db.updateTable('procedure_history').set({ actor: 'x' }).execute()).rejects.toThrow(
      /append-only/,
    );
  });
});

describe('concurrent edits', () => {
  it('needs If-Match to change a procedure', async () => {
    await post('/v1/procedures', procedure('1.000010'));
    const res = await h.app.inject({
      method: 'PUT',
      url: '/v1/procedures/1.000010',
      headers: h.headers,
      payload: { ...procedure('1.000010'), code: undefined },
    });
    expect(res.statusCode).toBe(428);
  });

  it('lets one of two edits made from the same read win and refuses the other with 412', async () => {
    const read = await get('/v1/procedures/1.000010');
    const etag = read.headers.etag as string;
    const edit = (name: string) =>
      h.app.inject({
        method: 'PUT',
        url: '/v1/procedures/1.000010',
        headers: { ...h.headers, 'if-match': etag },
        payload: { ...procedure('1.000010'), code: undefined, name },
      });
    const [a, b] = await Promise.all([edit('Tên A'), edit('Tên B')]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 412]);
    const winner = a.statusCode === 200 ? 'Tên A' : 'Tên B';
    expect((await get('/v1/procedures/1.000010')).json().name).toBe(winner);
  });
});

describe('bad input', () => {
  it('names a negative fee, an unknown field and a malformed agency code', async () => {
    const res = await post(
      '/v1/procedures',
      procedure('1.000020', {
        decidingAgencyCode: 'h55',
        methods: [
          {
            channel: 'direct',
            processingTime: { value: 5, unit: 'working_days' },
            fees: [{ name: 'Phí', amount: -1 }],
            note: null,
          },
        ],
        onlineLevel: 'none',
        legacyLevel: 2,
      }),
    );
    expect(res.statusCode).toBe(400);
    const pointers = res
      .json()
      .errors.map((e: { pointer: string }) => e.pointer)
      .sort();
    expect(pointers).toEqual(['/decidingAgencyCode', '/methods/0/fees/0/amount']);
    const unknown = await post('/v1/procedures', procedure('1.000021', { fieldCode: 'KHONG_CO' }));
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors).toEqual([expect.objectContaining({ pointer: '/fieldCode' })]);
    expect((await get('/v1/procedures/1.000021')).statusCode).toBe(404);
  });

  it('refuses an online level without an online method', async () => {
    const res = await post(
      '/v1/procedures',
      procedure('1.000022', {
        methods: [
          { channel: 'direct', processingTime: { value: 5, unit: 'working_days' }, fees: [], note: null },
        ],
        onlineLevel: 'full',
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].pointer).toBe('/methods');
  });
});
