import ExcelJS from 'exceljs';
import { headerGrid, headerWidth, tablesOf, type ReportDocument, type TableBlock } from '../domain/document';

const FONT = 'Times New Roman';
const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** Sheet names: at most 31 characters, none of []:*?/\ (Excel's rule). */
function sheetName(table: TableBlock, used: Set<string>): string {
  const base = (table.id === 'bieu-06' ? 'Biểu 06' : table.title)
    .replace(/[[\]:*?/\\]/g, ' ')
    .slice(0, 28)
    .trim();
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base.slice(0, 26)} ${i}`;
  used.add(name);
  return name;
}

function addTable(wb: ExcelJS.Workbook, doc: ReportDocument, table: TableBlock, name: string): void {
  const width = headerWidth(table.header[0] ?? []);
  const headerTop = table.subtitle ? 5 : 4;
  const ws = wb.addWorksheet(name, {
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: `${headerTop}:${headerTop + table.header.length - 1}`,
    },
    views: [{ state: 'frozen', xSplit: 2, ySplit: headerTop + table.header.length - 1 }],
  });
  ws.columns = table.widths.map((w) => ({ width: Math.max(6, w * (w > 20 ? 1.2 : 1.4)) }));
  const title = (row: number, text: string, bold: boolean, size: number) => {
    ws.mergeCells(row, 1, row, width);
    const c = ws.getCell(row, 1);
    c.value = text;
    c.font = { name: FONT, bold, size };
    c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  };
  title(1, doc.issuer, false, 11);
  title(2, table.title, true, 13);
  if (table.subtitle) title(3, table.subtitle, false, 11);
  for (const g of headerGrid(table.header)) {
    const r = headerTop + g.row;
    const c = 1 + g.col;
    if (g.rowSpan > 1 || g.colSpan > 1) ws.mergeCells(r, c, r + g.rowSpan - 1, c + g.colSpan - 1);
    const cell = ws.getCell(r, c);
    cell.value = g.cell.text;
  }
  for (let r = headerTop; r < headerTop + table.header.length; r++) {
    const row = ws.getRow(r);
    for (let c = 1; c <= width; c++) {
      const cell = row.getCell(c);
      cell.font = {
        name: FONT,
        bold: r < headerTop + table.header.length - 1 || table.header.length === 1,
        size: 11,
      };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.border = BORDER;
    }
  }
  const percent = new Set(table.percentColumns ?? []);
  table.rows.forEach((tr, i) => {
    const row = ws.getRow(headerTop + table.header.length + i);
    tr.cells.forEach((v, j) => {
      const cell = row.getCell(j + 1);
      // Text stays text: exceljs writes a string as a shared string, never as a formula.
      cell.value = v;
      cell.font = { name: FONT, size: 11, bold: tr.emphasis !== undefined };
      cell.border = BORDER;
      if (typeof v === 'number') {
        cell.numFmt = percent.has(j) ? '0.00' : '#,##0';
        cell.alignment = { horizontal: 'right', vertical: 'middle' };
      } else cell.alignment = { horizontal: j === 0 ? 'center' : 'left', vertical: 'middle', wrapText: true };
    });
  });
  const lastRow = headerTop + table.header.length + table.rows.length - 1;
  ws.pageSetup.printArea = `A1:${ws.getColumn(width).letter}${lastRow}`;
}

/**
 * Each table of a report on its own sheet, laid out like the official form: the merged header
 * cells, Vietnamese labels, counts as numbers with thousands separators, A4 landscape fitted to one
 * page wide with the header repeated and frozen.
 */
export async function renderXlsx(doc: ReportDocument): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'tthc reports';
  wb.title = doc.title;
  // Fixed, so the same figures give the same file.
  wb.created = new Date(doc.dataCutAt);
  wb.modified = new Date(doc.dataCutAt);
  const used = new Set<string>();
  for (const table of tablesOf(doc)) addTable(wb, doc, table, sheetName(table, used));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
