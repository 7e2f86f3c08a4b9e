import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { COLUMNS, headerKey, procedureToRow, type SheetRow } from '../domain/spreadsheet';
import type { FileProcedure } from '../domain/catalogue-file';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv';
const SHEETS = { procedures: 'Thủ tục', fields: 'Lĩnh vực', agencies: 'Cơ quan' } as const;

/** A cell as text: dates as ISO dates, numbers as written, rich text flattened. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    return '';
  }
  return String(value).normalize('NFC');
}

function sheetRows(sheet: ExcelJS.Worksheet): Record<string, string>[] {
  const headers: string[] = [];
  sheet.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => {
    headers[col] = cellText(cell.value);
  });
  const rows: Record<string, string>[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const out: Record<string, string> = {};
    let any = false;
    headers.forEach((h, col) => {
      const v = cellText(row.getCell(col).value).trim();
      if (v) any = true;
      out[h] = v;
    });
    if (any) rows.push(out);
  }
  return rows;
}

const byKey = (rows: Record<string, string>[]): SheetRow[] =>
  rows.map((r) => {
    const out: SheetRow = {};
    for (const [h, v] of Object.entries(r)) {
      const key = headerKey(h);
      if (key) out[key] = v;
    }
    return out;
  });

export interface SheetFile {
  procedures: SheetRow[];
  fields: Record<string, string>[];
  agencies: Record<string, string>[];
}

/** Reads a workbook: the procedures sheet (or the first sheet), and field and agency sheets when present. */
export async function readXlsx(buffer: Buffer): Promise<SheetFile> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  const procedures = wb.getWorksheet(SHEETS.procedures) ?? wb.worksheets[0];
  if (!procedures) throw new Error('the workbook has no sheet');
  const fields = wb.getWorksheet(SHEETS.fields);
  const agencies = wb.getWorksheet(SHEETS.agencies);
  return {
    procedures: byKey(sheetRows(procedures)),
    fields: fields ? sheetRows(fields) : [],
    agencies: agencies ? sheetRows(agencies) : [],
  };
}

export function readCsv(buffer: Buffer): SheetFile {
  const text = buffer
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .normalize('NFC');
  const rows = parse(text, {
    columns: true,
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
  }) as Record<string, string>[];
  return { procedures: byKey(rows), fields: [], agencies: [] };
}

export interface ExportData {
  fields: { code: string; name: string }[];
  agencies: {
    code: string;
    name: string;
    parentCode: string | null;
    level: string;
    kind: string;
    receivesFor: string[];
  }[];
  procedures: FileProcedure[];
}

export async function writeXlsx(data: ExportData): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'TTHC Sở Y tế';
  const ps = wb.addWorksheet(SHEETS.procedures, { views: [{ state: 'frozen', ySplit: 1 }] });
  ps.columns = COLUMNS.map(([key, header]) => ({
    header,
    key,
    width: key === 'name' ? 60 : key === 'code' ? 12 : 30,
  }));
  ps.getRow(1).font = { bold: true };
  for (const p of data.procedures) ps.addRow(procedureToRow(p));
  ps.eachRow((row) => {
    row.alignment = { wrapText: true, vertical: 'top' };
  });
  const fs = wb.addWorksheet(SHEETS.fields);
  fs.columns = [
    { header: 'code', key: 'code', width: 25 },
    { header: 'name', key: 'name', width: 50 },
  ];
  data.fields.forEach((f) => fs.addRow(f));
  const as = wb.addWorksheet(SHEETS.agencies);
  as.columns = ['code', 'name', 'parentCode', 'level', 'kind', 'receivesFor'].map((k) => ({
    header: k,
    key: k,
    width: k === 'name' ? 50 : 20,
  }));
  data.agencies.forEach((a) =>
    as.addRow({ ...a, parentCode: a.parentCode ?? '', receivesFor: a.receivesFor.join(', ') }),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** CSV for spreadsheets: UTF-8 with a byte-order mark so Excel shows Vietnamese correctly. */
export function writeCsv(procedures: FileProcedure[]): string {
  return (
    '\uFEFF' +
    stringify(
      procedures.map((p) => procedureToRow(p)),
      { header: true, columns: COLUMNS.map(([key, header]) => ({ key, header })) },
    )
  );
}
