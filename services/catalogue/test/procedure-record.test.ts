import {
  createPublished,
  decision,
  procedure,
  seedReferenceData,
  startCatalogue,
  type Harness,
} from './fixtures';

/** Issue 10, items 7–9: what a procedure record says and refuses, and what its events carry. */

let h: Harness;
beforeAll(async () => {
  h = await startCatalogue('2026-06-30T03:00:00Z');
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
const directOnly = [
  { channel: 'direct', processingTime: { value: 5, unit: 'working_days' }, fees: [], note: null },
];
const outbox = async (type: string, code: string) =>
  (await h.t.db.selectFrom('outbox').select(['payload']).where('type', '=', type).execute())
    .map((e) => e.payload as Record<string, unknown>)
    .filter((p) => p['code'] === code);

describe('legacy level (Nghị định 43/2011) against the channels and the online level', () => {
  it.each([
    [
      'level 3 without an online method',
      { legacyLevel: 3, onlineLevel: 'none', methods: directOnly },
      /legacy level 3 .* needs an online method/,
    ],
    [
      'level 4 without an online method',
      { legacyLevel: 4, onlineLevel: 'none', methods: directOnly },
      /legacy level 4 .* needs an online method/,
    ],
    [
      'level 4 with a partial online service',
      { legacyLevel: 4, onlineLevel: 'partial' },
      /onlineLevel must be full, not partial/,
    ],
  ])('refuses %s with 400 naming legacyLevel', async (_case, overrides, reason) => {
    const res = await post('/v1/procedures', procedure('1.400001', overrides));
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().errors).toContainEqual({
      in: 'body',
      pointer: '/legacyLevel',
      detail: expect.stringMatching(reason),
    });
    expect((await get('/v1/procedures/1.400001')).statusCode).toBe(404);
  });

  it('accepts level 3 with a partial service, level 4 with a full one, levels 1-2 and none with direct methods only', async () => {
    const cases = [
      procedure('1.400011', { legacyLevel: 3, onlineLevel: 'partial' }),
      procedure('1.400012', { legacyLevel: 4, onlineLevel: 'full' }),
      procedure('1.400013', { legacyLevel: 2, onlineLevel: 'none', methods: directOnly }),
      procedure('1.400014', { legacyLevel: null, onlineLevel: 'none', methods: directOnly }),
    ];
    for (const body of cases) expect((await post('/v1/procedures', body)).statusCode).toBe(201);
  });

  it('refuses an amendment that breaks the rule, and leaves the published version as it was', async () => {
    const etag = await createPublished(h, procedure('1.400020', { legacyLevel: 4, onlineLevel: 'full' }));
    const content = { ...procedure('1.400020', { legacyLevel: 4, onlineLevel: 'partial' }), code: undefined };
    const res = await post(
      '/v1/procedures/1.400020/amendments',
      { content, decision: decision('31/QĐ-UBND', '2026-06-01', '2026-06-15') },
      etag,
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/content/legacyLevel']);
    expect((await get('/v1/procedures/1.400020')).json()).toMatchObject({ version: 1, onlineLevel: 'full' });
  });
});

describe('completeness (Nghị định 63/2010 Art. 8.2)', () => {
  it('names the always-required components a record lacks, and not those required only where applicable', async () => {
    const bare = procedure('1.400030', {
      steps: [],
      result: null,
      legalBasis: [],
      applicantTypes: [],
      conditions: [],
    });
    const res = await post('/v1/procedures', bare);
    expect(res.json()).toMatchObject({
      complete: false,
      missingComponents: ['steps', 'applicantTypes', 'result', 'legalBasis'],
    });
    const noExtras = procedure('1.400031', {
      conditions: [],
      methods: [
        { channel: 'online', processingTime: { value: 5, unit: 'working_days' }, fees: [], note: null },
      ],
      components: [{ case: null, name: 'Đơn đề nghị', originals: 1, copies: 0, formTemplate: null }],
    });
    expect((await post('/v1/procedures', noExtras)).json()).toMatchObject({
      complete: true,
      missingComponents: [],
    });
  });
});

describe('online payment', () => {
  it('defaults to false, is kept on the record and goes on procedure.published and procedure.changed', async () => {
    const created = await post(
      '/v1/procedures',
      procedure('1.400040', { legacyLevel: 4, onlineLevel: 'full' }),
    );
    expect(created.json().onlinePayment).toBe(false);
    const etag = await createPublished(
      h,
      procedure('1.400041', { legacyLevel: 4, onlineLevel: 'full', onlinePayment: true }),
    );
    expect((await get('/v1/procedures/1.400041')).json().onlinePayment).toBe(true);
    const [published] = await outbox('procedure.published', '1.400041');
    expect(published).toMatchObject({
      onlinePayment: true,
      legacyLevel: 4,
      resultIsPaper: true,
      decisionSignedOn: '2026-01-05',
      legalBasisEffectiveFrom: '2017-01-01',
    });
    const content = {
      ...procedure('1.400041', { legacyLevel: 4, onlineLevel: 'full', onlinePayment: false }),
      code: undefined,
    };
    await post(
      '/v1/procedures/1.400041/amendments',
      { content, decision: decision('32/QĐ-UBND', '2026-06-01', '2026-06-15') },
      etag,
    );
    const [changed] = await outbox('procedure.changed', '1.400041');
    expect(changed).toMatchObject({ version: 2, onlinePayment: false });
  });

  it('refuses a value that is not true or false, naming the field', async () => {
    const res = await post('/v1/procedures', procedure('1.400042', { onlinePayment: 'có' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ pointer: '/onlinePayment' })]);
  });
});

describe('an abolished procedure names the abolishing decision beside the publishing one', () => {
  it('reads with both decisions, now and as of a date, and in its versions', async () => {
    const etag = await createPublished(
      h,
      procedure('1.400050'),
      decision('10/QĐ-UBND', '2026-01-05', '2026-01-10', '2026-01-12'),
    );
    expect((await get('/v1/procedures/1.400050')).json().abolition).toBeNull();
    const res = await post(
      '/v1/procedures/1.400050/abolish',
      { ...decision('300/QĐ-UBND', '2026-05-20', '2026-06-01'), reason: 'Bãi bỏ theo Nghị định mới' },
      etag,
    );
    expect(res.statusCode).toBe(200);
    const abolition = {
      decisionNumber: '300/QĐ-UBND',
      signedOn: '2026-05-20',
      effectiveFrom: '2026-06-01',
      reason: 'Bãi bỏ theo Nghị định mới',
    };
    expect(res.json()).toMatchObject({ status: 'abolished', abolition });
    const read = (await get('/v1/procedures/1.400050')).json();
    expect(read).toMatchObject({
      status: 'abolished',
      decision: {
        decisionNumber: '10/QĐ-UBND',
        signedOn: '2026-01-05',
        effectiveFrom: '2026-01-10',
        nationalPublishedOn: '2026-01-12',
      },
      abolition,
    });
    expect((await get('/v1/procedures/1.400050?asOf=2026-06-15')).json()).toMatchObject({
      status: 'abolished',
      abolition,
    });
    // Signed but not yet in effect on 25/5: still published, and the coming abolition is named.
    expect((await get('/v1/procedures/1.400050?asOf=2026-05-25')).json()).toMatchObject({
      status: 'published',
      abolition,
    });
    // Before the decision was signed, the record could not name it.
    expect((await get('/v1/procedures/1.400050?asOf=2026-05-19')).json()).toMatchObject({
      status: 'published',
      abolition: null,
    });
    const versions = (await get('/v1/procedures/1.400050/versions')).json().items;
    expect(versions.map((v: { abolition: unknown }) => v.abolition)).toEqual([abolition]);
  });
});
