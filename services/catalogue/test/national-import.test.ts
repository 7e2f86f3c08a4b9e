import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '@tthc/testkit';
import { DEFAULT_NATIONAL_MAPPING } from '../src/national/mapping';
import { pullNationalCatalogue, PullFailed, type NationalSource } from '../src/national/pull';
import { startNationalPull } from '../src/national/pull.worker';
import { seedReferenceData, startCatalogue, type Harness } from './fixtures';

/** A national record as the national procedure database hands it out (the default mapping's shape). */
function record(code: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    MaTTHC: code,
    TenTTHC: `Cấp giấy phép ${code}`,
    LinhVuc: [{ MaLinhVuc: 'G09-YT02', TenLinhVuc: 'Dược phẩm' }],
    CapThucHien: [{ MaCap: '1' }],
    CoQuanCongBo: [{ MaCoQuan: 'G09', TenCoQuan: 'Bộ Y tế' }],
    CoQuanThucHien: [{ MaCoQuan: '000.20.17.H55', TenCoQuan: 'Trung tâm Phục vụ hành chính công' }],
    CoQuanCoThamQuyen: [{ MaCoQuan: '000.00.17.H55', TenCoQuan: 'Sở Y tế' }],
    DoiTuongThucHien: [{ MaDoiTuong: '1' }, { MaDoiTuong: '3' }],
    TrinhTuThucHien: [
      { TruongHop: null, TrinhTu: ['Bước 1: Nộp hồ sơ', 'Bước 2: Thẩm định'] },
      { TruongHop: 'Cấp lại', TrinhTu: ['Bước 1: Nộp đơn'] },
    ],
    CachThucThucHien: [
      {
        MaKenh: '1',
        ThoiGian: [
          {
            ThoiGianGiaiQuyet: 20,
            DonViTinh: 'Ngày làm việc',
            MoTa: null,
            PhiLePhi: [{ MoTa: 'Phí thẩm định', SoTien: 500000 }],
          },
          { ThoiGianGiaiQuyet: 5, DonViTinh: 'Ngày làm việc', MoTa: 'Cấp lại' },
        ],
      },
      {
        MaKenh: 2,
        ThoiGian: [
          {
            ThoiGianGiaiQuyet: '20',
            DonViTinh: 'Ngày làm việc',
            PhiLePhi: [{ MoTa: 'Phí thẩm định', SoTien: 500000 }],
          },
        ],
      },
    ],
    ThanhPhanHoSo: [
      {
        TruongHop: null,
        GiayTo: [
          {
            TenGiayTo: 'Đơn đề nghị (Mẫu số 02)',
            SoBanChinh: 1,
            SoBanSao: 0,
            MauDon: [{ TenMauDon: 'Mẫu số 02' }],
          },
          { TenGiayTo: 'Bản sao văn bằng chuyên môn', SoBanChinh: 0, SoBanSao: 1 },
        ],
      },
    ],
    YeuCauDieuKien: ['Có văn bằng chuyên môn phù hợp'],
    KetQuaThucHien: [{ TenKetQua: 'Chứng chỉ hành nghề dược', KetQuaDienTu: true }],
    CanCuPhapLy: [
      {
        SoVanBan: '105/2016/QH13',
        TrichYeu: 'Luật Dược',
        NgayBanHanh: '06/04/2016',
        NgayHieuLuc: '01/01/2017',
      },
    ],
    TTHCLienQuan: [{ MaTTHC: '1.004580' }],
    MucDoDVC: 'TOAN_TRINH',
    MucDoCu: 4,
    ThanhToanTrucTuyen: true,
    QuyetDinhCongBo: {
      SoQuyetDinh: '1234/QĐ-BYT',
      NgayBanHanh: '10/01/2026',
      NgayHieuLuc: '15/01/2026',
      NgayCongKhai: '14/01/2026',
    },
    TinhTrang: '1',
    ...overrides,
  };
}

let h: Harness;
const post = (url: string, payload: unknown) =>
  h.app.inject({ method: 'POST', url, headers: h.headers, payload: payload as object });
const get = (url: string) => h.app.inject({ method: 'GET', url, headers: h.headers });

beforeAll(async () => {
  h = await startCatalogue('2026-06-30T03:00:00Z');
  await seedReferenceData(h);
});
afterAll(() => h.close());

describe('national package: preview and import', () => {
  it('previews a new procedure without writing it, then imports it published under its decision', async () => {
    const preview = await post('/v1/national-catalogue/preview', { data: [record('1.300001')] });
    expect(preview.statusCode).toBe(200);
    const p = preview.json();
    expect(p).toMatchObject({ dryRun: true, applied: false, counts: { create: 1, publish: 1, refused: 0 } });
    expect(p.records[0]).toMatchObject({ code: '1.300001', actions: ['create', 'publish'], issues: [] });
    expect(p.records[0].changes).toEqual(
      expect.arrayContaining([
        { path: 'name', change: 'added', before: null, after: 'Cấp giấy phép 1.300001' },
      ]),
    );
    expect((await get('/v1/procedures/1.300001')).statusCode).toBe(404);

    const imported = await post('/v1/national-catalogue/import', { data: [record('1.300001')] });
    expect(imported.statusCode).toBe(200);
    expect(imported.json()).toMatchObject({ applied: true, counts: { create: 1, publish: 1 } });
    const proc = (await get('/v1/procedures/1.300001')).json();
    expect(proc).toMatchObject({
      status: 'published',
      version: 1,
      name: 'Cấp giấy phép 1.300001',
      fieldCode: 'DUOC_PHAM',
      decidingAgencyCode: '000.00.17.H55',
      receivingAgencyCode: '000.20.17.H55',
      authorityLevel: 'province',
      applicantTypes: ['person'],
      steps: ['Bước 1: Nộp hồ sơ', 'Bước 2: Thẩm định', 'Cấp lại: Bước 1: Nộp đơn'],
      methods: [
        {
          channel: 'direct',
          processingTime: { value: 20, unit: 'working_days' },
          fees: [{ name: 'Phí thẩm định', amount: 500000 }],
          note: '5 Ngày làm việc: Cấp lại',
        },
        { channel: 'online', processingTime: { value: 20, unit: 'working_days' }, note: null },
      ],
      components: [
        { case: null, name: 'Đơn đề nghị (Mẫu số 02)', originals: 1, copies: 0, formTemplate: 'Mẫu số 02' },
        { case: null, name: 'Bản sao văn bằng chuyên môn', originals: 0, copies: 1, formTemplate: null },
      ],
      result: { name: 'Chứng chỉ hành nghề dược', isPaperDocument: false },
      legalBasis: [
        { number: '105/2016/QH13', title: 'Luật Dược', issuedOn: '2016-04-06', effectiveFrom: '2017-01-01' },
      ],
      onlineLevel: 'full',
      legacyLevel: 4,
      onlinePayment: true,
      publishingAgency: 'Bộ Y tế',
      relatedProcedures: ['1.004580'],
      complete: true,
      decision: {
        decisionNumber: '1234/QĐ-BYT',
        signedOn: '2026-01-10',
        effectiveFrom: '2026-01-15',
        nationalPublishedOn: '2026-01-14',
      },
    });
  });

  it('names the changes of an amended record, makes it a new version under the new decision, and leaves an unchanged one alone', async () => {
    const changed = record('1.300001', {
      CachThucThucHien: [
        {
          MaKenh: '1',
          ThoiGian: [
            {
              ThoiGianGiaiQuyet: 15,
              DonViTinh: 'Ngày làm việc',
              PhiLePhi: [{ MoTa: 'Phí thẩm định', SoTien: 500000 }],
            },
          ],
        },
        {
          MaKenh: '2',
          ThoiGian: [
            {
              ThoiGianGiaiQuyet: 15,
              DonViTinh: 'Ngày làm việc',
              PhiLePhi: [{ MoTa: 'Phí thẩm định', SoTien: 500000 }],
            },
          ],
        },
      ],
      QuyetDinhCongBo: { SoQuyetDinh: '2001/QĐ-BYT', NgayBanHanh: '2026-05-02', NgayHieuLuc: '2026-05-15' },
    });
    const preview = (await post('/v1/national-catalogue/preview', [changed])).json();
    expect(preview.records[0].actions).toEqual(['amend']);
    expect(preview.records[0].changes).toEqual(
      expect.arrayContaining([
        { path: 'methods.0.processingTime.value', change: 'changed', before: 20, after: 15 },
        { path: 'methods.1.processingTime.value', change: 'changed', before: 20, after: 15 },
        { path: 'methods.0.note', change: 'changed', before: '5 Ngày làm việc: Cấp lại', after: null },
      ]),
    );
    expect((await get('/v1/procedures/1.300001')).json().version).toBe(1);

    const res = await post('/v1/national-catalogue/import', changed);
    expect(res.json()).toMatchObject({ applied: true, counts: { amend: 1 } });
    const now = (await get('/v1/procedures/1.300001')).json();
    expect(now).toMatchObject({ version: 2, status: 'published', validFrom: '2026-05-15' });
    expect(now.methods[0].processingTime.value).toBe(15);
    const versions = (await get('/v1/procedures/1.300001/versions')).json().items;
    expect(versions.find((v: { version: number }) => v.version === 1)).toMatchObject({
      validTo: '2026-05-15',
    });

    const again = (await post('/v1/national-catalogue/import', changed)).json();
    expect(again).toMatchObject({ applied: true, counts: { unchanged: 1, amend: 0 } });
    expect(again.records[0].changes).toEqual([]);
  });

  it('refuses the whole package, naming each record, path and reason, when any record is wrong', async () => {
    const res = await post('/v1/national-catalogue/import', {
      data: [
        record('1.300010'),
        record('1.300011', {
          TenTTHC: '  ',
          CachThucThucHien: [{ MaKenh: '9', ThoiGian: [{ ThoiGianGiaiQuyet: 5, DonViTinh: 'Tuần' }] }],
        }),
        record('1.300012', {
          LinhVuc: [{ MaLinhVuc: 'G09-YT99', TenLinhVuc: 'Lĩnh vực lạ' }],
          CoQuanCoThamQuyen: [{ MaCoQuan: 'X99.ZZ' }],
        }),
        record('1.300013', {
          QuyetDinhCongBo: { SoQuyetDinh: '12/QĐ-BYT', NgayBanHanh: '31/02/2026', NgayHieuLuc: '01/03/2026' },
        }),
        record('1.300014', {
          MucDoDVC: 'TOAN_TRINH',
          CachThucThucHien: [
            { MaKenh: '1', ThoiGian: [{ ThoiGianGiaiQuyet: 5, DonViTinh: 'Ngày làm việc' }] },
          ],
        }),
        'not a record',
      ],
    });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body).toMatchObject({
      code: 'national_package_rejected',
      applied: false,
      counts: { refused: 5, create: 0 },
    });
    const issues = (i: number) =>
      body.records[i].issues.map((x: { path: string; reason: string }) => `${x.path}: ${x.reason}`);
    expect(body.records[0]).toMatchObject({ code: '1.300010', actions: [], issues: [] });
    expect(issues(1)).toEqual(
      expect.arrayContaining([
        'TenTTHC: required',
        `CachThucThucHien[0].MaKenh: unknown code "9": add it to the mapping's codes.channel`,
        `CachThucThucHien[0].ThoiGian[0].DonViTinh: unknown code "Tuần": add it to the mapping's codes.timeUnit`,
      ]),
    );
    expect(issues(2)).toEqual(
      expect.arrayContaining([
        `LinhVuc[0].MaLinhVuc: unknown field "G09-YT99" (Lĩnh vực lạ): add it to the mapping's fields`,
        `CoQuanCoThamQuyen[0].MaCoQuan: unknown agency "X99.ZZ": add it to the mapping's agencies`,
      ]),
    );
    expect(issues(3)).toEqual([
      `QuyetDinhCongBo.NgayBanHanh: not a date: "31/02/2026" (dd/MM/yyyy or yyyy-MM-dd)`,
    ]);
    expect(issues(4)).toEqual(
      expect.arrayContaining([
        '(content).methods: an online service level needs an online method',
        '(content).legacyLevel: legacy level 4 (Nghị định 43/2011) needs an online method',
      ]),
    );
    expect(issues(5)).toEqual(['(record): must be an object']);
    expect(body.errorCount).toBeGreaterThanOrEqual(7);
    expect((await get('/v1/procedures/1.300010')).statusCode).toBe(404);
  });

  it('refuses a changed published record that comes without a new decision, and changes nothing', async () => {
    const res = await post('/v1/national-catalogue/import', [
      record('1.300001', {
        TenTTHC: 'Tên đã sửa',
        QuyetDinhCongBo: { SoQuyetDinh: '2001/QĐ-BYT', NgayBanHanh: '2026-05-02', NgayHieuLuc: '2026-05-15' },
      }),
    ]);
    expect(res.statusCode).toBe(422);
    expect(res.json().records[0].issues[0].reason).toMatch(/needs a new publishing decision/);
    expect((await get('/v1/procedures/1.300001')).json()).toMatchObject({
      version: 2,
      name: 'Cấp giấy phép 1.300001',
    });
  });

  it('abolishes a procedure the national record shows abolished, under the abolishing decision', async () => {
    await post('/v1/national-catalogue/import', [record('1.300020')]);
    const res = await post('/v1/national-catalogue/import', [
      record('1.300020', {
        TinhTrang: '2',
        QuyetDinhCongBo: { SoQuyetDinh: '3001/QĐ-BYT', NgayBanHanh: '01/06/2026', NgayHieuLuc: '15/06/2026' },
      }),
    ]);
    expect(res.json()).toMatchObject({ applied: true, counts: { abolish: 1 } });
    expect((await get('/v1/procedures/1.300020')).json()).toMatchObject({
      status: 'abolished',
      abolition: { decisionNumber: '3001/QĐ-BYT', effectiveFrom: '2026-06-15' },
    });
  });

  it('matches a national field to the catalogue field of the same name, accents and case aside', async () => {
    const res = await post('/v1/national-catalogue/preview', [
      record('1.300030', {
        LinhVuc: [{ MaLinhVuc: 'G09-YT77', TenLinhVuc: 'AN TOAN THUC PHAM VA DINH DUONG' }],
      }),
    ]);
    expect(res.json().records[0]).toMatchObject({ issues: [], actions: ['create', 'publish'] });
    expect(res.json().records[0].changes).toEqual(
      expect.arrayContaining([{ path: 'fieldCode', change: 'added', before: null, after: 'ATTP' }]),
    );
  });

  it('answers 400 naming where the records were expected when the body holds none', async () => {
    const res = await post('/v1/national-catalogue/import', { items: [] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'national_package_unreadable', errors: [{ pointer: '/data' }] });
  });
});

describe('the mapping is data', () => {
  it('reads renamed properties and new codes after an administrator replaces it, keeping the old version', async () => {
    const before = (await get('/v1/national-catalogue/mapping')).json();
    expect(before).toMatchObject({ version: 1, createdBy: 'seed', document: { format: 'CSDLQG TTHC 2024' } });
    const document = structuredClone(DEFAULT_NATIONAL_MAPPING);
    document.format = 'CSDLQG TTHC 2027';
    document.names.name = 'TenThuTuc';
    document.codes.channel = { ...document.codes.channel, BCCI: 'postal' };
    document.fields = { 'G09-YT02': 'DUOC_PHAM' };
    const put = await h.app.inject({
      method: 'PUT',
      url: '/v1/national-catalogue/mapping',
      headers: h.headers,
      payload: document,
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ version: 2, createdBy: 'officer-1' });

    const { TenTTHC: name, ...rest } = record('1.300040');
    const res = await post('/v1/national-catalogue/preview', [
      {
        ...rest,
        TenThuTuc: name,
        CachThucThucHien: [
          { MaKenh: '2', ThoiGian: [{ ThoiGianGiaiQuyet: 10, DonViTinh: 'Ngày làm việc' }] },
          { MaKenh: 'BCCI', ThoiGian: [{ ThoiGianGiaiQuyet: 10, DonViTinh: 'Ngày làm việc' }] },
        ],
      },
    ]);
    expect(res.json()).toMatchObject({
      mappingVersion: 2,
      format: 'CSDLQG TTHC 2027',
      counts: { refused: 0 },
    });

    const bad = await h.app.inject({
      method: 'PUT',
      url: '/v1/national-catalogue/mapping',
      headers: h.headers,
      payload: { ...document, codes: { ...document.codes, channel: { '1': 'fax' } } },
    });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().errors)).toContain('/codes/channel/1');
    expect((await get('/v1/national-catalogue/mapping')).json().version).toBe(2);

    await h.app.inject({
      method: 'PUT',
      url: '/v1/national-catalogue/mapping',
      headers: h.headers,
      payload: DEFAULT_NATIONAL_MAPPING,
    });
  });
});

/** A national source standing in for the real one: each request is answered by the next handler. */
class NationalServer {
  private server: Server | undefined;
  readonly requests: IncomingMessage['headers'][] = [];
  handler: (req: IncomingMessage, res: ServerResponse) => void = (_q, res) => res.end();
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.requests.push(req.headers);
      this.handler(req, res);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/tthc/H55`;
  }
  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}

const json =
  (body: unknown, headers: Record<string, string> = {}) =>
  (req: IncomingMessage, res: ServerResponse) => {
    if (headers.etag && req.headers['if-none-match'] === headers.etag) {
      res.writeHead(304, { etag: headers.etag });
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

describe('scheduled pull of the national source', () => {
  const national = new NationalServer();
  let source: NationalSource;
  const ctx = () => ({ db: h.t.db, actor: 'national-import:test', requestId: null, clock: () => new Date() });
  const run = { trigger: 'schedule' as const, attempt: 1, requestedBy: 'schedule' };

  beforeAll(async () => {
    source = { url: await national.start(), token: 'secret-token', timeoutMs: 1500 };
  });
  afterAll(() => national.stop());

  it('applies what came, asks conditionally next time, and reads nothing when the source has not changed', async () => {
    national.handler = json({ data: [record('1.300050'), record('1.300051')] }, { etag: '"v1"' });
    const first = await pullNationalCatalogue(ctx(), source, run);
    expect(first).toMatchObject({
      outcome: 'applied',
      httpStatus: 200,
      counts: { create: 2, publish: 2 },
      refused: [],
    });
    expect(national.requests.at(-1)).toMatchObject({
      authorization: 'Bearer secret-token',
      accept: 'application/json',
    });
    expect((await get('/v1/procedures/1.300051')).json().status).toBe('published');

    const second = await pullNationalCatalogue(ctx(), source, run);
    expect(national.requests.at(-1)!['if-none-match']).toBe('"v1"');
    expect(second).toMatchObject({ outcome: 'not_modified', httpStatus: 304 });
  });

  it('applies the good records of a pull and lists the refused ones, leaving their procedures as they were', async () => {
    national.handler = json({
      data: [
        record('1.300052'),
        record('1.300050', {
          TenTTHC: 'Đổi tên',
          QuyetDinhCongBo: { SoQuyetDinh: '9/QĐ-BYT', NgayBanHanh: '01/05/2026', NgayHieuLuc: '01/01/2026' },
        }),
      ],
    });
    const pulled = await pullNationalCatalogue(ctx(), source, run);
    expect(pulled).toMatchObject({ outcome: 'partial', counts: { create: 1, refused: 1 } });
    expect(pulled.refused).toEqual([
      {
        index: 1,
        code: '1.300050',
        issues: [
          expect.objectContaining({
            path: 'QuyetDinhCongBo.NgayHieuLuc',
            reason: 'effectiveFrom is before signedOn',
          }),
        ],
      },
    ]);
    expect((await get('/v1/procedures/1.300050')).json()).toMatchObject({
      version: 1,
      name: 'Cấp giấy phép 1.300050',
    });
    expect((await get('/v1/procedures/1.300052')).statusCode).toBe(200);
    const listed = (await get('/v1/national-catalogue/pulls?limit=1')).json();
    expect(listed.items[0]).toMatchObject({
      id: pulled.id,
      outcome: 'partial',
      refused: [{ code: '1.300050' }],
    });
  });

  it('records why a pull failed and whether trying again may help', async () => {
    const attempt = async () => {
      try {
        await pullNationalCatalogue(ctx(), source, run);
        return null;
      } catch (err) {
        expect(err).toBeInstanceOf(PullFailed);
        return { reason: (err as PullFailed).message, retryable: (err as PullFailed).retryable };
      }
    };
    national.handler = (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Hệ thống đang bảo trì</body></html>');
    };
    expect(await attempt()).toEqual({
      reason: expect.stringMatching(/text\/html, not JSON/),
      retryable: true,
    });
    national.handler = () => undefined; // never answers
    expect(await attempt()).toEqual({ reason: 'no answer within 1500 ms', retryable: true });
    national.handler = (_q, res) => {
      res.writeHead(503);
      res.end();
    };
    expect(await attempt()).toEqual({ reason: 'the source answered 503', retryable: true });
    national.handler = (_q, res) => {
      res.writeHead(401);
      res.end();
    };
    expect(await attempt()).toEqual({
      reason: expect.stringMatching(/401 \(check NATIONAL_CATALOGUE_TOKEN\)/),
      retryable: false,
    });
    national.handler = (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"data": [{"MaTTHC": "1.3');
    };
    expect(await attempt()).toEqual({ reason: expect.stringMatching(/not valid JSON/), retryable: true });
    const runs = (await get('/v1/national-catalogue/pulls?limit=5')).json().items;
    expect(runs.map((r: { outcome: string }) => r.outcome)).toEqual([
      'failed',
      'failed',
      'failed',
      'failed',
      'failed',
    ]);
    expect(runs[2]).toMatchObject({ httpStatus: 503, error: 'the source answered 503' });
  });

  it('retries a failing source with backoff until it answers, one run per attempt, when an operator asks', async () => {
    let calls = 0;
    national.handler = (req, res) => {
      calls++;
      if (calls <= 2) {
        res.writeHead(502, { 'content-type': 'text/html' });
        return res.end('<html>Bad gateway</html>');
      }
      json({ data: [record('1.300060')] })(req, res);
    };
    const puller = startNationalPull({
      db: h.t.db,
      bus: h.t.bus,
      logger: h.t.logger,
      clock: () => new Date(),
      onEventsWritten: () => undefined,
      onCatalogueChanged: () => h.readCache.changed(),
      settings: { source, cron: null, attempts: 4, backoffMs: 50 },
    });
    try {
      expect(await puller.requestPull('officer-1')).toEqual({ jobId: expect.any(String) });
      await eventually(
        async () => ((await get('/v1/procedures/1.300060')).statusCode === 200 ? true : undefined),
        {
          timeoutMs: 15_000,
        },
      );
      const runs = (await get('/v1/national-catalogue/pulls?limit=3')).json().items;
      expect(
        runs.map((r: { outcome: string; attempt: number; trigger: string }) => [
          r.attempt,
          r.outcome,
          r.trigger,
        ]),
      ).toEqual([
        [3, 'applied', 'operator'],
        [2, 'failed', 'operator'],
        [1, 'failed', 'operator'],
      ]);
    } finally {
      await puller.close();
    }
  });

  it('answers 409 when asked to pull without a configured source', async () => {
    const res = await post('/v1/national-catalogue/pulls', {});
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('national_source_not_configured');
  });
});
