import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Cell } from '../domain/document';

const FONT = 'Times New Roman';
const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

export interface AppendixColumn {
  header: string;
  /** Width in characters. */
  width: number;
  /** A date (YYYY-MM-DD text written as dd/mm/yyyy) or a count. */
  kind?: 'text' | 'date' | 'count';
}

export interface AppendixSheet {
  issuer: string;
  title: string;
  subtitle?: string;
  columns: AppendixColumn[];
}

export interface AppendixFile {
  path: string;
  rows: number;
  size: number;
  sha256: string;
}

const dateText = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

/**
 * Writes a detail appendix (one row per dossier, 100,000 and more) as XLSX straight to a file:
 * exceljs's streaming WorkbookWriter commits each row as it is written, so memory holds one row
 * at a time, not the sheet (Deliver 6: the appendix streams to disk). Inline strings rather than
 * a shared-string table, which would grow with the rows. The layout follows the other sheets:
 * issuer and title above, the header frozen and repeated on each printed page, A4 landscape.
 */
export async function writeAppendixXlsx(
  path: string,
  sheet: AppendixSheet,
  rows: AsyncIterable<readonly Cell[]> | Iterable<readonly Cell[]>,
): Promise<AppendixFile> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useSharedStrings: false,
    useStyles: true,
  });
  wb.creator = 'tthc reports';
  const width = sheet.columns.length;
  const headerRow = sheet.subtitle ? 4 : 3;
  const ws = wb.addWorksheet('Phụ lục', {
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${headerRow}:${headerRow}`,
    },
    views: [{ state: 'frozen', xSplit: 0, ySplit: headerRow }],
  });
  ws.columns = sheet.columns.map((c) => ({ width: c.width }));
  const title = (r: number, text: string, bold: boolean) => {
    const row = ws.getRow(r);
    row.getCell(1).value = text;
    row.getCell(1).font = { name: FONT, bold, size: bold ? 13 : 11 };
    row.getCell(1).alignment = { horizontal: 'center', vertical: 'middle' };
    ws.mergeCells(r, 1, r, width);
    row.commit();
  };
  title(1, sheet.issuer, false);
  title(2, sheet.title, true);
  if (sheet.subtitle) title(3, sheet.subtitle, false);
  const header = ws.getRow(headerRow);
  sheet.columns.forEach((c, j) => {
    const cell = header.getCell(j + 1);
    cell.value = c.header;
    cell.font = { name: FONT, bold: true, size: 11 };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = BORDER;
  });
  header.commit();
  let n = 0;
  for await (const values of rows) {
    const row = ws.getRow(headerRow + 1 + n);
    values.forEach((v, j) => {
      const cell = row.getCell(j + 1);
      const kind = sheet.columns[j]?.kind ?? 'text';
      cell.value = kind === 'date' && typeof v === 'string' && v.length === 10 ? dateText(v) : v;
      cell.font = { name: FONT, size: 11 };
      cell.border = BORDER;
      if (typeof v === 'number') cell.numFmt = '#,##0';
    });
    row.commit();
    n++;
  }
  ws.commit();
  await wb.commit();
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { path, rows: n, size: (await stat(path)).size, sha256: hash.digest('hex') };
}
