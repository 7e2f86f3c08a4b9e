import { headerGrid, headerWidth, tablesOf, type Cell, type ReportDocument } from '../domain/document';

/** A cell as CSV: quoted, and a leading =, +, - or @ defused so a spreadsheet never runs it as a formula. */
function cell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${text.replace(/"/g, '""')}"`;
}
const line = (cells: Cell[]) => cells.map(cell).join(',');

/**
 * The tables of a report as CSV, in the form's layout: a title line, the header rows (a merged
 * cell written once, in its top-left position), then the rows; tables separated by an empty line.
 * UTF-8 with a byte-order mark, so spreadsheet software reads the Vietnamese correctly.
 */
export function renderCsv(doc: ReportDocument): Buffer {
  const lines: string[] = [line([`${doc.title} — ${doc.subtitle}`])];
  for (const table of tablesOf(doc)) {
    const width = headerWidth(table.header[0] ?? []);
    lines.push('', line([table.title]));
    if (table.subtitle) lines.push(line([table.subtitle]));
    const grid: Cell[][] = table.header.map(() => Array<Cell>(width).fill(null));
    for (const g of headerGrid(table.header)) grid[g.row]![g.col] = g.cell.text;
    for (const row of grid) lines.push(line(row));
    for (const row of table.rows) lines.push(line(row.cells));
  }
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}
