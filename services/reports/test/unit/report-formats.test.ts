import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import pdfParse from 'pdf-parse/lib/pdf-parse.js';
import { renderCsv } from '../../src/formats/csv.format';
import { renderDocx } from '../../src/formats/docx.format';
import { renderPdf } from '../../src/formats/pdf.format';
import { renderXlsx } from '../../src/formats/xlsx.format';
import { diffDocuments } from '../../src/domain/changes';
import { lastClosedPeriod } from '../../src/domain/closed-period';
import { contentDisposition, fileNames } from '../../src/domain/file-name';
import { reportPeriod } from '../../src/kinds/kind';
import { reportKinds } from '../../src/kinds/registry';
import { IdentityBroken } from '../../src/kinds/statistics-table.block';
import {
  childAnswers,
  EXPECTED_ROWS,
  indicatorSet,
  planCounts,
  scorecardResult,
  statisticsTable,
} from '../support/facts';

const ctx = { reportId: 'r1', version: 1, dataCutAt: new Date('2026-04-02T03:00:00Z') };
const PERIOD_Q1 = reportPeriod({ agencyCode: null, period: '2026-Q1', basis: 'calendar' }, ctx.dataCutAt);
const answers = childAnswers;
const statistics = () =>
  reportKinds['dossier-statistics'].assemble(
    reportKinds['dossier-statistics'].params.parse({ agencyCode: '000.00.17.H55', period: '2026-Q1' }),
    answers(),
    ctx,
  );
const reformParams = (narrative: unknown = {}) =>
  reportKinds['reform-report'].params.parse({ agencyCode: '000.00.17.H55', period: '2026-Q1', narrative });
const reform = (narrative: unknown = {}) =>
  reportKinds['reform-report'].assemble(reformParams(narrative), answers(), ctx);

/** The PDF's text as pdf.js reads it, every run separated by a space. */
async function pdfText(bytes: Buffer): Promise<string> {
  const pages: string[] = [];
  await pdfParse(bytes, {
    pagerender: async (page) => {
      const { items } = await page.getTextContent({
        normalizeWhitespace: false,
        disableCombineTextItems: false,
      });
      const text = items.map((i) => i.str).join(' ');
      pages.push(text);
      return text;
    },
  });
  return pages.join(' ').replace(/\s+/g, ' ');
}

describe('Biểu 06 assembled from the known fact set', () => {
  it('has every cell of the form: levels then fields, totals first, labels from the catalogue', () => {
    const [table] = statistics().attachments;
    expect(table!.rows.map((r) => r.cells)).toEqual(EXPECTED_ROWS);
    expect(table!.header[2]!.map((c) => c.text)).toEqual([
      '(1)',
      '(2)',
      '(3)',
      '(4)',
      '(5)',
      '(6)',
      '(7)',
      '(8)',
      '(9)',
      '(10)',
      '(11)',
      '(12)',
      '(13)',
    ]);
  });

  it('holds the identities in every row and the totals by level', () => {
    const rows = statistics().attachments[0]!.rows.map((r) => r.cells.slice(2) as number[]);
    for (const [rec, on, dir, car, res, ea, ot, la, ip, wi, ov] of rows) {
      expect(rec).toBe(on! + dir! + car!);
      expect(res).toBe(ea! + ot! + la!);
      expect(ip).toBe(wi! + ov!);
      expect(rec).toBe(res! + ip!);
    }
    const [total, province, , , district] = rows;
    expect(total).toEqual(province!.map((v, i) => v + district![i]!));
  });

  it('refuses figures that break an identity before anything is rendered', () => {
    const bad = statisticsTable();
    bad.rows[1]!.figures.receivedOnline += 1;
    expect(() =>
      reportKinds['dossier-statistics'].assemble(
        reportKinds['dossier-statistics'].params.parse({ agencyCode: null, period: '2026-Q1' }),
        { ...answers(), table: bad },
        ctx,
      ),
    ).toThrow(IdentityBroken);
  });
});

describe('the periods a report may be asked for', () => {
  const now = new Date('2026-04-02T03:00:00Z');
  it('takes a quarter that is over', () => {
    expect(reportPeriod({ agencyCode: null, period: '2026-Q1', basis: 'calendar' }, now)).toMatchObject({
      from: '2026-01-01',
      to: '2026-03-31',
    });
    expect(reportPeriod({ agencyCode: null, period: '2026-Q1', basis: 'statutory' }, now)).toMatchObject({
      from: '2025-12-15',
      to: '2026-03-14',
    });
  });
  it('refuses a period in the future and one not over yet, naming the field', () => {
    expect(() => reportPeriod({ agencyCode: null, period: '2026-Q3', basis: 'calendar' }, now)).toThrow(
      expect.objectContaining({ pointer: '/params/period', code: 'period_in_future' }),
    );
    expect(() => reportPeriod({ agencyCode: null, period: '2026-Q2', basis: 'calendar' }, now)).toThrow(
      expect.objectContaining({ code: 'period_not_over' }),
    );
  });
});

describe('the period a schedule reports on', () => {
  it('is the last one closed: calendar periods end on the last day, data-cut ones on the 14th', () => {
    const at = (iso: string) => new Date(iso);
    expect(lastClosedPeriod('quarter', 'calendar', at('2026-04-01T03:00:00Z')).label).toBe('2026-Q1');
    expect(lastClosedPeriod('quarter', 'calendar', at('2026-03-31T03:00:00Z')).label).toBe('2025-Q4');
    expect(lastClosedPeriod('quarter', 'statutory', at('2026-03-15T03:00:00Z')).label).toBe('2026-Q1');
    expect(lastClosedPeriod('quarter', 'statutory', at('2026-03-14T03:00:00Z')).label).toBe('2025-Q4');
    // 14/12 is the last day of the statutory year: on 15/12 the year 2026 has closed.
    expect(lastClosedPeriod('year', 'statutory', at('2026-12-15T03:00:00Z')).label).toBe('2026');
    expect(lastClosedPeriod('half', 'calendar', at('2026-07-01T03:00:00Z')).label).toBe('2026-H1');
  });
});

describe('the reform report', () => {
  it('has sections I–V with the figures filled and the narrative as written (NFC)', () => {
    const doc = reform({
      direction: { text: 'Ban hành kế hoạch rà soát quy trình nội bộ.' },
      // Decomposed Vietnamese (NFD) comes out composed.
      assessment: 'Hoàn thành kế hoạch quý'.normalize('NFD'),
    });
    expect(doc.sections.map((s) => s.heading)).toEqual([
      'CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH',
      'KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH',
      'ĐÁNH GIÁ CHUNG',
      'PHƯƠNG HƯỚNG, NHIỆM VỤ TRỌNG TÂM KỲ TỚI',
      'ĐỀ XUẤT, KIẾN NGHỊ',
    ]);
    expect(doc.title).toBe('BÁO CÁO CÔNG TÁC CẢI CÁCH HÀNH CHÍNH QUÝ 1 NĂM 2026');
    // Section I is counted from the reform plan and registers kpi keeps; the officer's text follows.
    expect(doc.sections[0]!.paragraphs).toEqual([
      'Kế hoạch cải cách hành chính năm 2026: tổng số nhiệm vụ 14 (do cơ quan tự đề ra: 9; do tỉnh giao: 5); đến ngày 31/03/2026 đã hoàn thành 6 (trong đó hoàn thành sau thời hạn: 1); đang thực hiện trong hạn 6; quá hạn chưa hoàn thành 2.',
      'Số văn bản chỉ đạo, điều hành về cải cách hành chính ban hành trong kỳ: 7.',
      'Số cuộc kiểm tra cải cách hành chính trong kỳ: 3, phát hiện 11 tồn tại, hạn chế.',
      'Số hoạt động tuyên truyền cải cách hành chính trong kỳ: 5.',
      'Ban hành kế hoạch rà soát quy trình nội bộ.',
      'Công tác tuyên truyền: (Nội dung do cơ quan báo cáo bổ sung.)',
    ]);
    expect(doc.sections[0]!.table!.rows.map((r) => r.cells)).toEqual([
      ['Do cơ quan tự đề ra', 9, 4, 1, 4, 1],
      ['Do tỉnh giao', 5, 2, 0, 2, 1],
      ['Tổng cộng', 14, 6, 1, 6, 2],
    ]);
    expect(doc.figures['plan']).toEqual(planCounts());
    // The counts are not typed in: a request carrying them is refused, naming the field.
    const typed = reportKinds['reform-report'].params.safeParse({
      period: '2026-Q1',
      narrative: { direction: { planTasksTotal: 24 } },
    });
    expect(typed.success).toBe(false);
    expect(typed.error!.issues[0]!.path).toEqual(['narrative', 'direction', 'planTasksTotal']);
    const procedures = doc.sections[1]!.subsections![1]!.paragraphs.join('\n');
    expect(procedures).toContain(
      'Tổng số thủ tục hành chính đang có hiệu lực: 17; trong đó dịch vụ công trực tuyến toàn trình: 10, một phần: 4',
    );
    expect(procedures).toContain(
      'Tổng số hồ sơ tiếp nhận: 20 (trực tuyến: 10; trực tiếp và qua dịch vụ bưu chính công ích: 7; từ kỳ trước chuyển qua: 3)',
    );
    expect(procedures).toContain('Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn: 80% (16/20)');
    const egov = doc.sections[1]!.subsections![5]!.paragraphs.join('\n');
    expect(egov).toContain('Tỷ lệ hồ sơ nộp trực tuyến: 58,82% (10/17)');
    expect(doc.sections[2]!.paragraphs).toEqual(['Hoàn thành kế hoạch quý'.normalize('NFC')]);
    expect(doc.attachments[0]!.id).toBe('bieu-06');
  });

  it('charts the on-time and online shares by field', () => {
    expect(reform().sections[1]!.subsections![1]!.chart).toEqual({
      title: 'Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn và tỷ lệ hồ sơ trực tuyến theo lĩnh vực (%)',
      categories: ['Dược phẩm', 'Khám bệnh, chữa bệnh', 'Y tế dự phòng'],
      series: [
        { label: 'Trước hạn, đúng hạn', values: [88.89, 75, 100] },
        { label: 'Nộp trực tuyến', values: [70, 50, 33.33] },
      ],
    });
  });

  it('refuses a narrative with script content, naming the field', () => {
    const r = reportKinds['reform-report'].params.safeParse({
      period: '2026-Q1',
      narrative: { assessment: 'Tốt <script>alert(1)</script>' },
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['narrative', 'assessment']);
  });
});

describe('procedure statistics', () => {
  it('has the procedures handled at the one-stop desk, by desk and by field', async () => {
    const doc = reportKinds['procedure-statistics'].assemble(
      reportKinds['procedure-statistics'].params.parse({ agencyCode: '000.00.17.H55', period: '2026-Q1' }),
      answers(),
      ctx,
    );
    expect(doc.sections[0]!.paragraphs).toContain(
      'Số thủ tục hành chính tiếp nhận tại Bộ phận Một cửa: 15 (Trung tâm Phục vụ hành chính công tỉnh: 13; Ủy ban nhân dân huyện Đông Sơn: 2).',
    );
    const desk = doc.attachments.find((a) => a.id === 'one-stop-desk')!;
    expect(desk.rows.map((r) => r.cells)).toEqual([
      ['', 'Tổng cộng', 15],
      ['1', 'Dược phẩm', 12],
      ['2', 'Khám bệnh, chữa bệnh', 1],
      ['3', 'Y tế dự phòng', 2],
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderXlsx(doc)) as unknown as ArrayBuffer);
    const ws = wb.worksheets[2]!;
    expect(ws.getCell('A2').value).toBe('Thủ tục hành chính tiếp nhận tại Bộ phận Một cửa');
    expect([1, 2, 3].map((c) => ws.getRow(6).getCell(c).value)).toEqual(['', 'Tổng cộng', 15]);
  });
});

describe('the scorecard', () => {
  const card = () =>
    reportKinds.scorecard.assemble(
      reportKinds.scorecard.params.parse({ agencyCode: '000.00.17.H55', period: '2026-Q1' }),
      { indicators: indicatorSet(), scorecard: scorecardResult() },
      ctx,
    );

  it('asks kpi for the indicator set and the scorecard, of a calendar period and an agency', () => {
    const p = reportKinds.scorecard.params.parse({ agencyCode: '000.00.17.H55', period: '2026-Q1' });
    expect(reportKinds.scorecard.children(p, PERIOD_Q1).map((c) => [c.key, c.name, c.data])).toEqual([
      [
        'indicators',
        'kpi.indicator-set',
        expect.objectContaining({ period: '2026-Q1', agencyCode: '000.00.17.H55' }),
      ],
      ['scorecard', 'kpi.scorecard', { period: '2026-Q1', agencyCode: '000.00.17.H55' }],
    ]);
    // Targets are yearly: a statutory period (across two calendar years) and no agency are refused.
    const statutory = reportKinds.scorecard.params.safeParse({
      agencyCode: '000.00.17.H55',
      period: '2026-Q1',
      basis: 'statutory',
    });
    expect(statutory.error!.issues[0]!.path).toEqual(['basis']);
    expect(reportKinds.scorecard.params.safeParse({ period: '2026-Q1' }).error!.issues[0]!.path).toEqual([
      'agencyCode',
    ]);
  });

  it('has the indicator groups with points, the targets with actual, met and gap, the trend and the reform index with evidence', () => {
    const doc = card();
    expect(doc.sections.map((s) => s.heading)).toEqual([
      'BỘ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP',
      'KẾT QUẢ THỰC HIỆN CHỈ TIÊU',
      'CHỈ SỐ CẢI CÁCH HÀNH CHÍNH',
    ]);
    const set = indicatorSet();
    expect(doc.sections[0]!.table!.rows.map((r) => r.cells)).toEqual([
      ...set.groups.map((g, i) => [String(i + 1), g.name, g.points, g.applicableMax, g.scaled]),
      ['', 'Tổng cộng', set.total.points, set.total.applicableMax, set.total.scaled],
    ]);
    expect(doc.sections[1]!.paragraphs).toEqual([
      'Số chỉ tiêu: 3; đạt: 1; không đạt: 1; chưa có số liệu: 1.',
    ]);
    expect(doc.sections[1]!.table!.rows.map((r) => r.cells)).toEqual([
      ['1', 'Tỷ lệ hồ sơ nộp trực tuyến', '%', '≥', 50, 58.82, 'Đạt', 8.82],
      ['2', 'Số hồ sơ giải quyết quá hạn', 'hồ sơ', '≤', 1, 2, 'Không đạt', 1],
      ['3', 'PAR-SYT 6. Hiện đại hóa hành chính', 'điểm', '≥', 8.5, null, 'Chưa có số liệu', null],
    ]);
    const trend = doc.sections[1]!.subsections![0]!;
    expect(trend.table!.rows.map((r) => r.cells)).toEqual([
      ['Tỷ lệ hồ sơ nộp trực tuyến', 40, 62.5, 71.43],
      ['Số hồ sơ giải quyết quá hạn', 0, 1, 1],
    ]);
    expect(trend.chart).toEqual({
      title: 'Diễn biến các chỉ tiêu tỷ lệ theo tháng (%)',
      categories: ['Tháng 1', 'Tháng 2', 'Tháng 3'],
      series: [{ label: 'Tỷ lệ hồ sơ nộp trực tuyến', values: [40, 62.5, 71.43] }],
    });
    const index = doc.sections[2]!;
    expect(index.paragraphs).toEqual(['Chỉ số cải cách hành chính của Sở Y tế: 13,75/20 điểm (tạm tính).']);
    expect(index.subsections![0]!.table!.rows.map((r) => r.cells)).toEqual([
      ['1', 'Công tác chỉ đạo, điều hành', 8, 6.5, '', ''],
      [
        '1.1',
        'Ban hành kế hoạch cải cách hành chính',
        3,
        2.5,
        'Thẩm định',
        '12/KH-SYT, ke-hoach-cchc-2026.pdf; Nhận xét: Ban hành chậm 5 ngày',
      ],
      [
        '1.2',
        'Kiểm tra cải cách hành chính',
        5,
        4,
        'Tự đánh giá',
        '30/BC-SYT, https://syt.example.gov.vn/bc30',
      ],
      ['6', 'Hiện đại hóa hành chính', 12, 7.25, '', ''],
      ['6.1', 'Tỷ lệ hồ sơ nộp trực tuyến', 12, 7.25, 'Tính từ số liệu', ''],
      ['', 'Tổng cộng', 20, 13.75, '', ''],
    ]);
    expect(doc.figures).toEqual({ indicatorSet: set, scorecard: scorecardResult() });
  });

  it('XLSX: each table on its sheet, read back cell by cell, points with two decimals', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderXlsx(card())) as unknown as ArrayBuffer);
    expect(wb.worksheets).toHaveLength(4);
    const [groups, targets, trend, index] = wb.worksheets;
    const set = indicatorSet();
    expect(groups!.getCell('B4').value).toBe('Nhóm chỉ số');
    expect(groups!.getRow(5 + set.groups.length).values).toEqual([
      undefined,
      '',
      'Tổng cộng',
      set.total.points,
      set.total.applicableMax,
      set.total.scaled,
    ]);
    expect(groups!.getCell('C5').numFmt).toBe('0.00');
    expect(targets!.getCell('A2').value).toBe('Chỉ tiêu năm 2026 và kết quả thực hiện đến ngày 31/03/2026');
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((c) => targets!.getRow(5).getCell(c).value)).toEqual([
      '1',
      'Tỷ lệ hồ sơ nộp trực tuyến',
      '%',
      '≥',
      50,
      58.82,
      'Đạt',
      8.82,
    ]);
    expect(targets!.getRow(7).getCell(7).value).toBe('Chưa có số liệu');
    expect(targets!.getRow(7).getCell(6).value).toBeNull();
    expect([2, 3, 4].map((c) => trend!.getRow(4).getCell(c).value)).toEqual([
      'Tháng 1',
      'Tháng 2',
      'Tháng 3',
    ]);
    expect([1, 2, 3, 4].map((c) => trend!.getRow(5).getCell(c).value)).toEqual([
      'Tỷ lệ hồ sơ nộp trực tuyến',
      40,
      62.5,
      71.43,
    ]);
    // The framework sheet carries a subtitle: header at row 5, the tree from row 6.
    expect(index!.getCell('A3').value).toBe('Kết quả tạm tính (còn tiêu chí chưa chấm điểm)');
    expect([1, 2, 3, 4, 5, 6].map((c) => index!.getRow(7).getCell(c).value)).toEqual([
      '1.1',
      'Ban hành kế hoạch cải cách hành chính',
      3,
      2.5,
      'Thẩm định',
      '12/KH-SYT, ke-hoach-cchc-2026.pdf; Nhận xét: Ban hành chậm 5 ngày',
    ]);
    expect(index!.getRow(11).getCell(4).value).toBe(13.75);
  });

  it('DOCX, PDF and CSV: the figures and the evidence read back', async () => {
    const doc = card();
    const xml = await (
      await JSZip.loadAsync(await renderDocx(doc))
    )
      .file('word/document.xml')!
      .async('string');
    const text = xml.replace(/<[^>]+>/g, '');
    expect(text).toContain('KẾT QUẢ THỰC HIỆN CHỈ TIÊU VÀ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2026');
    expect(text).toContain('II. KẾT QUẢ THỰC HIỆN CHỈ TIÊU');
    expect(text).toContain('Số chỉ tiêu: 3; đạt: 1; không đạt: 1; chưa có số liệu: 1.');
    expect(text).toContain('Không đạt');
    expect(text).toContain('Chỉ số cải cách hành chính của Sở Y tế: 13,75/20 điểm (tạm tính).');
    expect(text).toContain('12/KH-SYT, ke-hoach-cchc-2026.pdf; Nhận xét: Ban hành chậm 5 ngày');
    expect(text).toContain('Diễn biến các chỉ tiêu tỷ lệ theo tháng (%)');
    const pdf = await pdfText(await renderPdf(doc));
    expect(pdf).toContain('KẾT QUẢ THỰC HIỆN CHỈ TIÊU');
    expect(pdf).toContain('Tỷ lệ hồ sơ nộp trực tuyến');
    expect(pdf).toContain('30/BC-SYT');
    const csv = renderCsv(doc).toString('utf8');
    expect(csv).toContain('"1","Tỷ lệ hồ sơ nộp trực tuyến","%","≥",50,58.82,"Đạt",8.82');
    expect(csv).toContain('"","Tổng cộng",20,13.75,"",""');
  });
});

describe('the formats', () => {
  it('XLSX: the table read back cell by cell, merged headers as on the form, A4 landscape, frozen header', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderXlsx(statistics())) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Biểu 06')!;
    expect(ws.getCell('A2').value).toBe('Biểu số 06: Tình hình, kết quả giải quyết thủ tục hành chính');
    // Header at rows 5–7: STT and the label span two rows, the groups span their columns.
    expect(ws.getCell('A5').value).toBe('STT');
    expect(ws.getCell('B5').value).toBe('Lĩnh vực, thủ tục hành chính');
    expect(ws.getCell('C5').value).toBe('Số hồ sơ nhận giải quyết');
    expect(ws.getCell('G5').value).toBe('Số lượng hồ sơ đã giải quyết');
    expect(ws.getCell('K5').value).toBe('Số lượng hồ sơ đang giải quyết');
    expect(ws.getCell('D6').value).toBe('Trong kỳ: trực tuyến');
    expect(ws.getCell('M7').value).toBe('(13)');
    const merges = (ws.model as unknown as { merges: string[] }).merges;
    expect(merges).toEqual(expect.arrayContaining(['A5:A6', 'B5:B6', 'C5:F5', 'G5:J5', 'K5:M5']));
    EXPECTED_ROWS.forEach((expected, i) => {
      const row = ws.getRow(8 + i);
      expected.forEach((v, j) => expect([i, j, row.getCell(j + 1).value]).toEqual([i, j, v]));
    });
    expect(ws.getCell('C8').numFmt).toBe('#,##0');
    expect(ws.pageSetup.orientation).toBe('landscape');
    expect(ws.pageSetup.paperSize).toBe(9);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 7, xSplit: 2 });
  });

  it('CSV: the form layout with a byte-order mark and formulas defused', () => {
    const csv = renderCsv(reform({ assessment: '=SUM(A1)' })).toString('utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('"","Tổng cộng",20,10,7,3,15,8,5,2,5,3,2');
    expect(csv).toContain('"I","Cấp tỉnh",17,9,5,3,13,6,5,2,4,3,1');
    expect(csv).toContain(
      '"STT","Lĩnh vực, thủ tục hành chính","Số hồ sơ nhận giải quyết",,,,"Số lượng hồ sơ đã giải quyết"',
    );
  });

  it('DOCX: A4, Times New Roman, the national motto, numbered sections, the figures and merged headers', async () => {
    const zip = await JSZip.loadAsync(await renderDocx(reform({ assessment: 'Đạt <b> & vượt' })));
    const xml = await zip.file('word/document.xml')!.async('string');
    const text = xml.replace(/<[^>]+>/g, '');
    expect(xml).toContain('w:w="11906"');
    expect(xml).toContain('Times New Roman');
    expect(xml).toMatch(/w:sz w:val="2[68]"/);
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
    for (const h of [
      'I. CÔNG TÁC CHỈ ĐẠO',
      'II. KẾT QUẢ THỰC HIỆN',
      '2. Cải cách thủ tục hành chính',
      'V. ĐỀ XUẤT, KIẾN NGHỊ',
    ])
      expect(text).toContain(h);
    expect(text).toContain('Tổng số hồ sơ tiếp nhận: 20');
    // The charts as images (PNG in the package), the title as alt text, and the figures in a table under them.
    const byField = 'Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn và tỷ lệ hồ sơ trực tuyến theo lĩnh vực (%)';
    expect(text).toContain(byField);
    const media = Object.keys(zip.files).filter((f) => /^word\/media\/[^/]+\.png$/.test(f));
    expect(media).toHaveLength(2);
    const png = await zip.file(media[0]!)!.async('nodebuffer');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(xml).toMatch(
      new RegExp(`<w:drawing>.*?<wp:docPr [^>]*descr="${byField.replace(/[()]/g, '\\$&')}"`),
    );
    expect(xml.match(/<w:drawing>/g)).toHaveLength(2);
    expect(text).toContain(
      'Trước hạn, đúng hạn (%)Nộp trực tuyến (%)Dược phẩm88,8970,00Khám bệnh, chữa bệnh75,0050,00',
    );
    expect(text).toContain('Tháng 3/202686,6758,82');
    expect(text).not.toContain('█');
    // Plain text, escaped as XML.
    expect(xml).toContain('Đạt &lt;b&gt; &amp; vượt');
    expect(xml).toContain('w:gridSpan w:val="4"');
    expect(xml).toContain('w:vMerge');
  });

  it('PDF: the Vietnamese text and the figures read back from the file, the font embedded', async () => {
    const bytes = await renderPdf(reform());
    const text = await pdfText(bytes);
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('BÁO CÁO CÔNG TÁC CẢI CÁCH HÀNH CHÍNH QUÝ 1 NĂM 2026');
    expect(text).toContain('Tổng số hồ sơ tiếp nhận: 20');
    expect(text).toContain('Khám bệnh, chữa bệnh');
    expect(text).toContain('Biểu số 06');
    // The charts: their titles, the images (as in the DOCX) and their figures as tables.
    expect(text).toContain(
      'Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn và tỷ lệ hồ sơ trực tuyến theo lĩnh vực (%)',
    );
    // Two image XObjects, each with its alpha channel as a soft mask.
    expect(bytes.toString('latin1').match(/\/Subtype \/Image/g)).toHaveLength(4);
    expect(bytes.toString('latin1').match(/\/SMask \d+ 0 R/g)).toHaveLength(2);
    expect(text).toContain(
      'Lĩnh vực Trước hạn, đúng hạn (%) Nộp trực tuyến (%) Dược phẩm 88,89 70,00 Khám bệnh, chữa bệnh 75,00 50,00 Y tế dự phòng 100,00 33,33',
    );
    expect(text).toContain('Tháng 1/2026 86,67 58,82');
    expect(bytes.toString('latin1')).toMatch(/\/FontFile2/);
  });

  it('PDF of a table-only report starts on a landscape page with the whole table', async () => {
    const text = await pdfText(await renderPdf(statistics()));
    expect(text).toContain('Tổng cộng 20 10 7 3 15 8 5 2 5 3 2');
    expect(text).toContain('Y tế dự phòng 3 1 2 0 2 2 0 0 1 0 1');
  });
});

describe('versions and files', () => {
  it('names what a correction changed: the cells and the narrative', () => {
    const before = reform({ assessment: 'A' });
    const t = statisticsTable();
    t.rows[1]!.figures = {
      ...t.rows[1]!.figures,
      receivedOnline: 6,
      received: 11,
      resolved: 8,
      resolvedEarly: 4,
    };
    t.rows[0]!.figures = {
      ...t.rows[0]!.figures,
      receivedOnline: 8,
      received: 16,
      resolved: 12,
      resolvedEarly: 5,
    };
    t.total.figures = { ...t.total.figures, receivedOnline: 9, received: 19, resolved: 14, resolvedEarly: 7 };
    const after = reportKinds['reform-report'].assemble(
      reformParams({ assessment: 'B' }),
      { ...answers(), table: t },
      ctx,
    );
    const changes = diffDocuments(before, after);
    expect(changes).toContainEqual({
      where: 'Biểu số 06: Tình hình, kết quả giải quyết thủ tục hành chính › 1 Dược phẩm › (4)',
      before: 7,
      after: 6,
    });
    expect(changes).toContainEqual({ where: 'narrative.assessment', before: '"A"', after: '"B"' });
  });

  it('gives a Vietnamese file name and an ASCII fallback in Content-Disposition', () => {
    const n = fileNames('Báo cáo công tác cải cách hành chính quý 1 năm 2026 - v1', 'pdf');
    expect(n.ascii).toBe('Bao_cao_cong_tac_cai_cach_hanh_chinh_quy_1_nam_2026_-_v1.pdf');
    expect(contentDisposition(n.utf8, n.ascii)).toBe(
      `attachment; filename="${n.ascii}"; filename*=UTF-8''${encodeURIComponent(n.utf8)}`,
    );
  });
});
