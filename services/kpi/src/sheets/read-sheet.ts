import ExcelJS from 'exceljs';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A cell as text: dates as ISO dates, numbers as written, rich text flattened, NFC. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value)
      return value.richText
        .map((r) => r.text)
        .join('')
        .normalize('NFC');
    if ('text' in value && typeof value.text === 'string') return value.text.normalize('NFC');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    return '';
  }
  return String(value).normalize('NFC');
}

export interface SheetRow {
  /** The row's number in the sheet (the header is row 1). */
  row: number;
  cells: Record<string, string>;
}

/**
 * The first sheet's rows under its header, the columns named by `columns` (an API name for each
 * header as written, English or Vietnamese, case and accents as given). Empty rows are skipped;
 * a header not listed is ignored.
 */
export async function readSheet(buffer: Buffer, columns: Record<string, string>): Promise<SheetRow[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  const sheet = wb.worksheets[0];
  if (!sheet) throw new Error('the workbook has no sheet');
  const byHeader = new Map(Object.entries(columns).map(([h, k]) => [h.normalize('NFC').toLowerCase(), k]));
  const keys: (string | undefined)[] = [];
  sheet.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => {
    keys[col] = byHeader.get(cellText(cell.value).trim().toLowerCase());
  });
  const out: SheetRow[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: Record<string, string> = {};
    let any = false;
    keys.forEach((k, col) => {
      if (!k) return;
      const v = cellText(row.getCell(col).value).trim();
      if (v) any = true;
      cells[k] = v;
    });
    if (any) out.push({ row: r, cells });
  }
  return out;
}

/** Builds a workbook of one sheet (tests, templates). */
export async function writeSheet(
  name: string,
  header: string[],
  rows: (string | number | null)[][],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(name);
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
