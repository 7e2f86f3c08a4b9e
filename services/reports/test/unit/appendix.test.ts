import { mkdtempSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { writeAppendixXlsx } from '../../src/formats/appendix.xlsx';

const dir = mkdtempSync(join(tmpdir(), 'appendix-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COLUMNS = [
  { header: 'STT', width: 8, kind: 'count' as const },
  { header: 'Mã hồ sơ', width: 26 },
  { header: 'Thủ tục hành chính', width: 50 },
  { header: 'Ngày tiếp nhận', width: 14, kind: 'date' as const },
  { header: 'Kết quả', width: 16 },
];

async function* rows(n: number) {
  for (let i = 1; i <= n; i++)
    yield [
      i,
      `000.00.17.H55-2601${String(i).padStart(5, '0')}`,
      'Cấp chứng chỉ hành nghề dược',
      '2026-02-03',
      i % 7 === 0 ? 'Quá hạn' : 'Đúng hạn',
    ];
}

describe('the detail appendix, streamed to disk', () => {
  it('writes every row to the file and reads back cell by cell, header frozen, A4 landscape', async () => {
    const path = join(dir, 'phu-luc.xlsx');
    const file = await writeAppendixXlsx(
      path,
      {
        issuer: 'Cơ quan báo cáo: 000.00.17.H55',
        title: 'PHỤ LỤC: DANH SÁCH HỒ SƠ',
        subtitle: 'Kỳ báo cáo: 2026-Q1',
        columns: COLUMNS,
      },
      rows(2_500),
    );
    expect(file.rows).toBe(2_500);
    expect(file.sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('Phụ lục');
    expect(ws.getCell('A2').value).toBe('PHỤ LỤC: DANH SÁCH HỒ SƠ');
    expect([1, 2, 3, 4, 5].map((c) => ws.getRow(4).getCell(c).value)).toEqual(COLUMNS.map((c) => c.header));
    expect([1, 2, 3, 4, 5].map((c) => ws.getRow(5).getCell(c).value)).toEqual([
      1,
      '000.00.17.H55-260100001',
      'Cấp chứng chỉ hành nghề dược',
      '03/02/2026',
      'Đúng hạn',
    ]);
    expect(ws.getRow(4 + 2_500).getCell(1).value).toBe(2_500);
    expect(ws.getRow(4 + 7).getCell(5).value).toBe('Quá hạn');
    expect(ws.rowCount).toBe(4 + 2_500);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9 });
  });
});
