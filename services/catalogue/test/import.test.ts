import { readFileSync } from 'node:fs';
import * as contentOnlinePayment from '../src/db/migrations/202611300102_content_online_payment';
import { contentHash, ProcedureContent } from '../src/domain/procedure';
import { seedDemoCatalogue, DEMO_FILE } from '../src/seed/demo';
import { AGENCIES, FIELDS, procedure, startCatalogue, type Harness } from './fixtures';

let h: Harness;
const post = (url: string, payload: unknown) =>
  h.app.inject({ method: 'POST', url, headers: h.headers, payload: payload as object });
const get = (url: string) => h.app.inject({ method: 'GET', url, headers: h.headers });
const pub = (n: string, signedOn: string, effectiveFrom: string) => ({
  decisionNumber: n,
  signedOn,
  effectiveFrom,
  nationalPublishedOn: null,
});

const file = (procedures: unknown[]) => ({ fields: FIELDS, agencies: AGENCIES, procedures });

beforeAll(async () => {
  h = await startCatalogue('2026-06-30T03:00:00Z');
});
afterAll(() => h.close());

describe('catalogue import', () => {
  it('reports every row error with row, column and reason, and imports nothing', async () => {
    const res = await post('/v1/procedures/import', {
      fields: FIELDS,
      agencies: [
        ...AGENCIES,
        {
          code: '000.09.17.H55',
          name: 'Đơn vị mồ côi',
          parentCode: '000.99.17.H55',
          level: 'province',
          kind: 'other',
        },
      ],
      procedures: [
        { ...procedure('1.200001'), publication: pub('5/QĐ-UBND', '2026-01-02', '2026-01-05') },
        { ...procedure('1.200002', { fieldCode: 'KHONG_CO' }), publication: null },
        { ...procedure('12.34'), publication: null },
        {
          ...procedure('1.200004', {
            methods: [
              {
                channel: 'direct',
                processingTime: { value: 3, unit: 'working_days' },
                fees: [{ name: 'Phí', amount: -5 }],
                note: null,
              },
            ],
            onlineLevel: 'none',
            legacyLevel: 2,
          }),
          publication: null,
        },
        { ...procedure('1.200001'), publication: null },
      ],
    });
    expect(res.statusCode).toBe(422);
    const report = res.json();
    expect(report.applied).toBe(false);
    const errs = report.errors
      .map((e: { sheet: string; row: number; column: string }) => `${e.sheet}:${e.row}:${e.column}`)
      .sort();
    expect(errs).toEqual([
      'agencies:5:parentCode',
      'procedures:2:fieldCode',
      'procedures:3:code',
      'procedures:4:methods.0.fees.0.amount',
      'procedures:5:code',
    ]);
    expect(report.errors.find((e: { column: string }) => e.column === 'fieldCode').reason).toContain(
      'KHONG_CO',
    );
    expect((await get('/v1/fields')).json().items).toHaveLength(0);
    expect((await get('/v1/procedures/1.200001')).statusCode).toBe(404);
  });

  it('changes nothing on a dry run that would succeed, but says what it would do', async () => {
    const body = file([
      { ...procedure('1.200001'), publication: pub('5/QĐ-UBND', '2026-01-02', '2026-01-05') },
    ]);
    const res = await post('/v1/procedures/import?dryRun=true', body);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      dryRun: true,
      applied: false,
      procedures: { created: 1, published: 1 },
    });
    expect((await get('/v1/procedures/1.200001')).statusCode).toBe(404);
  });

  it('imports, and changes nothing when the same file comes again', async () => {
    const body = file([
      { ...procedure('1.200001'), publication: pub('5/QĐ-UBND', '2026-01-02', '2026-01-05') },
      { ...procedure('1.200002', { name: 'Thủ tục nháp' }), publication: null },
    ]);
    const first = (await post('/v1/procedures/import', body)).json();
    expect(first).toMatchObject({ applied: true, procedures: { created: 2, published: 1, unchanged: 0 } });
    const historyBefore = (await get('/v1/procedures/1.200001/history')).json().items.length;
    const second = (await post('/v1/procedures/import', body)).json();
    expect(second).toMatchObject({
      applied: true,
      procedures: { created: 0, published: 0, amended: 0, updated: 0, unchanged: 2 },
    });
    expect((await get('/v1/procedures/1.200001/history')).json().items).toHaveLength(historyBefore);
    expect((await get('/v1/procedures/1.200001')).json()).toMatchObject({ version: 1, status: 'published' });
  });

  it('turns a changed published record into a new version under its new decision, and refuses one without', async () => {
    const changed = { ...procedure('1.200001', { name: 'Thủ tục đã sửa' }) };
    const sameDecision = await post(
      '/v1/procedures/import',
      file([{ ...changed, publication: pub('5/QĐ-UBND', '2026-01-02', '2026-01-05') }]),
    );
    expect(sameDecision.statusCode).toBe(422);
    expect(sameDecision.json().errors[0]).toMatchObject({ row: 1, column: 'publication' });
    const res = await post(
      '/v1/procedures/import',
      file([{ ...changed, publication: pub('77/QĐ-UBND', '2026-06-01', '2026-06-10') }]),
    );
    expect(res.json()).toMatchObject({ applied: true, procedures: { amended: 1 } });
    expect((await get('/v1/procedures/1.200001')).json()).toMatchObject({
      version: 2,
      name: 'Thủ tục đã sửa',
      validFrom: '2026-06-10',
    });
    const none = await post(
      '/v1/procedures/import',
      file([{ ...procedure('1.200001', { name: 'Lần nữa' }), publication: null }]),
    );
    expect(none.statusCode).toBe(422);
    expect(none.json().errors[0]).toMatchObject({ row: 1, column: 'publication' });
  });
});

describe('demo catalogue', () => {
  it('loads into an empty catalogue with at least 120 procedures across the health fields, once', async () => {
    const h2 = await startCatalogue('2026-06-30T03:00:00Z');
    try {
      const ctx = {
        db: h2.t.db,
        actor: 'demo-seed',
        requestId: null,
        clock: () => new Date('2026-06-30T03:00:00Z'),
      };
      await seedDemoCatalogue(ctx, h2.t.logger);
      const raw = JSON.parse(readFileSync(DEMO_FILE, 'utf8'));
      const stats = (
        await h2.app.inject({
          method: 'GET',
          url: '/v1/procedures/statistics?date=2026-06-30',
          headers: h2.headers,
        })
      ).json();
      expect(stats.totals.published).toBe(raw.procedures.length);
      expect(stats.totals.published).toBeGreaterThanOrEqual(120);
      // Every legacy level of the file is consistent with its online level (the import refuses
      // level 3/4 without an online method, level 4 unless full), and the levels add up.
      const legacy = { level1: 0, level2: 0, level3: 0, level4: 0, none: 0 };
      for (const p of raw.procedures as { legacyLevel: number | null }[])
        legacy[p.legacyLevel ? (`level${p.legacyLevel}` as 'level1') : 'none']++;
      expect(stats.publishedByLevel).toMatchObject({ total: raw.procedures.length, legacy });
      expect(legacy.level3 + legacy.level4).toBeGreaterThan(0);
      const fields = new Set(stats.byField.map((r: { fieldCode: string }) => r.fieldCode));
      for (const f of [
        'ATTP',
        'DUOC_PHAM',
        'MY_PHAM',
        'GIAM_DINH_Y_KHOA',
        'KHAM_CHUA_BENH',
        'TRANG_THIET_BI_Y_TE',
        'Y_TE_DU_PHONG',
        'DAN_SO',
        'TO_CHUC_CAN_BO',
      ]) {
        expect(fields).toContain(f);
      }
      const found = (
        await h2.app.inject({ method: 'GET', url: '/v1/procedures?q=duoc&limit=200', headers: h2.headers })
      ).json();
      expect(found.items.length).toBeGreaterThan(5);
      await seedDemoCatalogue(ctx, h2.t.logger);
      const again = (
        await h2.app.inject({
          method: 'GET',
          url: '/v1/procedures/statistics?date=2026-06-30',
          headers: h2.headers,
        })
      ).json();
      expect(again.totals.published).toBe(stats.totals.published);
    } finally {
      await h2.close();
    }
  });
});

describe('migration 202611300102_content_online_payment', () => {
  it('writes onlinePayment: false into content stored before it, with a hash a re-import of the same record matches', async () => {
    const body = file([
      { ...procedure('1.200050'), publication: pub('8/QĐ-UBND', '2026-01-02', '2026-01-05') },
    ]);
    expect((await post('/v1/procedures/import', body)).json()).toMatchObject({
      applied: true,
      procedures: { created: 1 },
    });
    // Make the stored version look as it did before the field existed.
    const { id } = await h.t.db
      .selectFrom('procedures')
      .select('id')
      .where('code', '=', '1.200050')
      .executeTakeFirstOrThrow();
    const stored = await h.t.db
      .selectFrom('procedure_versions')
      .select('content')
      .where('procedure_id', '=', id)
      .executeTakeFirstOrThrow();
    const { onlinePayment: _dropped, ...before } = stored.content as Record<string, unknown>;
    await h.t.db
      .updateTable('procedure_versions')
      .set({ content: JSON.stringify(before), content_hash: contentHash(before as ProcedureContent) })
      .where('procedure_id', '=', id)
      .execute();

    await contentOnlinePayment.up(h.t.db);

    const after = await h.t.db
      .selectFrom('procedure_versions')
      .select(['content', 'content_hash'])
      .where('procedure_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(after.content).toMatchObject({ onlinePayment: false });
    expect(after.content_hash).toBe(contentHash(ProcedureContent.parse(after.content)));
    expect((await post('/v1/procedures/import', body)).json()).toMatchObject({
      applied: true,
      procedures: { unchanged: 1, amended: 0 },
    });
  });
});
