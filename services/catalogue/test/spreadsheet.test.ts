import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { COLUMNS } from '../src/domain/spreadsheet';
import {
  createPublished,
  decision,
  procedure,
  seedReferenceData,
  startCatalogue,
  type Harness,
} from './fixtures';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let h: Harness;
let other: Harness;

beforeAll(async () => {
  h = await startCatalogue('2026-06-30T03:00:00Z');
  other = await startCatalogue('2026-06-30T03:00:00Z');
  await seedReferenceData(h);
  await createPublished(
    h,
    procedure('1.300001', {
      name: 'Cấp giấy phép hoạt động đối với phòng khám chuyên khoa',
      fieldCode: 'KHAM_CHUA_BENH',
      components: [
        {
          case: null,
          name: 'Đơn đề nghị cấp giấy phép hoạt động',
          originals: 1,
          copies: 0,
          formTemplate: 'Mẫu 01',
        },
        {
          case: 'Trường hợp cấp lại do bị mất',
          name: 'Văn bản đề nghị cấp lại',
          originals: 1,
          copies: 0,
          formTemplate: null,
        },
      ],
      interAgency: {
        mode: 'sequential',
        participants: [
          {
            agencyCode: '000.00.00.H55',
            order: 1,
            task: 'Quyết định cấp',
            processingTime: { value: 5, unit: 'working_days' },
          },
        ],
      },
    }),
    decision('184/QĐ-UBND', '2026-01-22', '2026-01-22', '2026-01-26'),
  );
  await createPublished(
    h,
    procedure('1.300002', {
      name: 'Công bố đủ điều kiện mua bán trang thiết bị y tế',
      onlineLevel: 'full',
      legacyLevel: 4,
      onlinePayment: true,
    }),
  );
  await h.app.inject({
    method: 'POST',
    url: '/v1/procedures',
    headers: h.headers,
    payload: procedure('1.300003', { name: 'Thủ tục nháp' }),
  });
});
afterAll(async () => {
  await h.close();
  await other.close();
});

const exportAs = async (format: string) =>
  h.app.inject({ method: 'GET', url: `/v1/procedures/export?format=${format}`, headers: h.headers });
const importSheet = (target: Harness, body: Buffer | string, type: string, dryRun = false) =>
  target.app.inject({
    method: 'POST',
    url: `/v1/procedures/import/spreadsheet${dryRun ? '?dryRun=true' : ''}`,
    headers: { ...target.headers, 'content-type': type },
    payload: body,
  });

describe('export and import in the department layouts', () => {
  it('exports JSON that imports back as unchanged', async () => {
    const exported = await exportAs('json');
    expect(exported.statusCode).toBe(200);
    const body = exported.json();
    expect(body.procedures.map((p: { code: string }) => p.code)).toEqual([
      '1.300001',
      '1.300002',
      '1.300003',
    ]);
    expect(body.procedures[0].publication).toMatchObject({
      decisionNumber: '184/QĐ-UBND',
      nationalPublishedOn: '2026-01-26',
    });
    const again = await h.app.inject({
      method: 'POST',
      url: '/v1/procedures/import',
      headers: h.headers,
      payload: body,
    });
    expect(again.json()).toMatchObject({
      applied: true,
      procedures: { unchanged: 3, created: 0, amended: 0 },
    });
  });

  it('exports an XLSX workbook that rebuilds the same catalogue elsewhere, and changes nothing when imported twice', async () => {
    const exported = await exportAs('xlsx');
    expect(exported.headers['content-type']).toContain(XLSX);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Thủ tục')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('Mã TTHC');
    expect(sheet.rowCount).toBe(4);

    const first = await importSheet(other, exported.rawPayload, XLSX);
    expect(first.json()).toMatchObject({ applied: true, procedures: { created: 3, published: 2 } });
    const copy = (
      await other.app.inject({ method: 'GET', url: '/v1/procedures/1.300001', headers: other.headers })
    ).json();
    const original = (
      await h.app.inject({ method: 'GET', url: '/v1/procedures/1.300001', headers: h.headers })
    ).json();
    for (const key of [
      'name',
      'methods',
      'components',
      'legalBasis',
      'interAgency',
      'applicantTypes',
      'result',
      'decision',
      'validFrom',
    ]) {
      expect({ key, value: copy[key] }).toEqual({ key, value: original[key] });
    }
    const paid = (
      await other.app.inject({ method: 'GET', url: '/v1/procedures/1.300002', headers: other.headers })
    ).json();
    expect(paid).toMatchObject({ onlinePayment: true, legacyLevel: 4, onlineLevel: 'full' });
    expect(copy).toMatchObject({ onlinePayment: false, legacyLevel: 3 });
    const second = await importSheet(other, exported.rawPayload, XLSX);
    expect(second.json()).toMatchObject({ applied: true, procedures: { unchanged: 3, created: 0 } });
  });

  it('exports CSV with a byte-order mark and reads it back', async () => {
    const exported = await exportAs('csv');
    expect(exported.body.charCodeAt(0)).toBe(0xfeff);
    expect(exported.body).toContain('Cấp giấy phép hoạt động đối với phòng khám chuyên khoa');
    const dry = await importSheet(h, exported.body, 'text/csv', true);
    expect(dry.json()).toMatchObject({ dryRun: true, errors: [], procedures: { unchanged: 3 } });
  });

  it('writes online payment as Có/Không in its own column, and reads a sheet without that column as no online payment', async () => {
    const exported = (await exportAs('csv')).body.replace(/^\uFEFF/, '');
    const rows = parse(exported, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r['Mã TTHC'], r['Thanh toán phí trực tuyến']])).toEqual([
      ['1.300001', 'Không'],
      ['1.300002', 'Có'],
      ['1.300003', 'Không'],
    ]);
    const withoutColumn = COLUMNS.filter(([key]) => key !== 'onlinePayment');
    const header = withoutColumn.map(([, label]) => `"${label}"`).join(',');
    const cells: Record<string, string> = {
      code: '1.300020',
      name: 'Thủ tục không có cột thanh toán',
      fieldCode: 'DUOC_PHAM',
      decidingAgencyCode: '000.00.17.H55',
      receivingAgencyCode: '000.20.17.H55',
      authorityLevel: 'Tỉnh',
      onlineLevel: 'Không',
      methods: 'Trực tiếp | 10 | ngày làm việc |  | ',
      steps: 'Bước 1',
      components: 'Đơn | 1 | 0 | ',
      result: 'Giấy phép',
      applicantTypes: 'Công dân',
    };
    const line = withoutColumn.map(([key]) => `"${cells[key] ?? ''}"`).join(',');
    expect((await importSheet(other, `${header}\n${line}`, 'text/csv')).json()).toMatchObject({
      applied: true,
      procedures: { created: 1 },
    });
    expect(
      (
        await other.app.inject({ method: 'GET', url: '/v1/procedures/1.300020', headers: other.headers })
      ).json().onlinePayment,
    ).toBe(false);
  });

  it('names the online payment column when its cell is neither Có nor Không', async () => {
    const header = COLUMNS.map(([, label]) => `"${label}"`).join(',');
    const cells: Record<string, string> = {
      code: '1.300021',
      name: 'Thủ tục',
      fieldCode: 'DUOC_PHAM',
      decidingAgencyCode: '000.00.17.H55',
      receivingAgencyCode: '000.20.17.H55',
      authorityLevel: 'Tỉnh',
      onlineLevel: 'Không',
      methods: 'Trực tiếp | 10 | ngày làm việc |  | ',
      steps: 'Bước 1',
      components: 'Đơn | 1 | 0 | ',
      result: 'Giấy phép',
      applicantTypes: 'Công dân',
      onlinePayment: 'Có lẽ',
    };
    const res = await importSheet(
      other,
      `${header}\n${COLUMNS.map(([key]) => `"${cells[key] ?? ''}"`).join(',')}`,
      'text/csv',
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([
      expect.objectContaining({ row: 2, column: 'Thanh toán phí trực tuyến' }),
    ]);
  });

  it('names the spreadsheet row and column of every error and imports nothing', async () => {
    const header = COLUMNS.map(([, label]) => `"${label}"`).join(',');
    const row = (cells: Record<number, string>) =>
      COLUMNS.map((_, i) => `"${(cells[i] ?? '').replace(/"/g, '""')}"`).join(',');
    const good = {
      0: '1.300010',
      1: 'Thủ tục mới',
      2: 'DUOC_PHAM',
      3: '000.00.17.H55',
      4: '000.20.17.H55',
      5: 'Tỉnh',
      6: 'Không',
      8: 'Trực tiếp | 10 | ngày làm việc |  | ',
      9: 'Bước 1',
      10: 'Đơn | 1 | 0 | ',
      12: 'Giấy phép',
      14: 'Công dân',
      15: '105/2016/QH13 | Luật Dược | 2016-04-06 | 2017-01-01',
    };
    const csv = [
      header,
      row(good),
      row({ ...good, 0: '1.300011', 2: 'KHONG_CO' }),
      row({ ...good, 0: '1.300012', 8: 'Trực tiếp | 10 | ngày làm việc | Phí: -100 | ' }),
      row({ ...good, 0: '1.300013', 17: '9/QĐ-UBND', 18: '2026-02-10', 19: '2026-02-01' }),
    ].join('\n');
    const res = await importSheet(other, csv, 'text/csv');
    expect(res.statusCode).toBe(422);
    const errors = res.json().errors.map((e: { row: number; column: string }) => [e.row, e.column]);
    expect(errors).toEqual(
      expect.arrayContaining([
        [3, 'Mã lĩnh vực'],
        [4, 'Cách thức thực hiện (kênh | thời hạn | đơn vị | phí: số tiền; ... | ghi chú)'],
        [5, 'Ngày hiệu lực'],
      ]),
    );
    expect(errors).toHaveLength(3);
    expect(
      (await other.app.inject({ method: 'GET', url: '/v1/procedures/1.300010', headers: other.headers }))
        .statusCode,
    ).toBe(404);
  });

  it('refuses a body that is not a spreadsheet', async () => {
    const res = await importSheet(h, Buffer.from('not a zip'), XLSX);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('unreadable_spreadsheet');
  });
});
