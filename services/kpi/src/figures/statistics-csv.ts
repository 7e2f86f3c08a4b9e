import { TABLE_COLUMNS, type TableRow } from './statistics-table';

/** A cell as CSV: quoted, and a leading =, +, - or @ defused so a spreadsheet never runs it as a formula. */
function cell(value: string | number): string {
  const text = typeof value === 'number' ? String(value) : /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${text.replace(/"/g, '""')}"`;
}

const line = (cells: (string | number)[]) => cells.map(cell).join(',');

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI'];

/**
 * The table as CSV in the form's layout: a title line, the three header lines of Biểu 06 (column
 * groups, column names, numbers (1)–(13)), the total, then the rows numbered I, 1, 1.1 as on the
 * form. UTF-8 with a byte-order mark, so spreadsheet software reads the Vietnamese correctly.
 */
export function statisticsCsv(
  answer: { period: { label: string; from: string; to: string }; total: TableRow; rows: TableRow[] },
  agencyLabel: string,
): string {
  const groups: string[] = [];
  let last = '';
  for (const c of TABLE_COLUMNS) {
    groups.push(c.group === last ? '' : c.group);
    last = c.group;
  }
  const lines = [
    line([
      `Biểu 06: Tình hình, kết quả giải quyết TTHC — ${agencyLabel} — kỳ ${answer.period.label} (${answer.period.from} đến ${answer.period.to})`,
    ]),
    line(['STT', 'Lĩnh vực, thủ tục hành chính', ...groups]),
    line(['', '', ...TABLE_COLUMNS.map((c) => c.label)]),
    line(['(1)', '(2)', ...TABLE_COLUMNS.map((c) => `(${c.number})`)]),
    line(['', answer.total.label, ...TABLE_COLUMNS.map((c) => answer.total.figures[c.key])]),
  ];
  let level = 0;
  let field = 0;
  let procedure = 0;
  for (const row of answer.rows) {
    let number = '';
    if (row.kind === 'level') [number, field] = [ROMAN[level++] ?? String(level), 0];
    else if (row.kind === 'field') [number, procedure] = [String(++field), 0];
    else number = `${field}.${++procedure}`;
    lines.push(line([number, row.label, ...TABLE_COLUMNS.map((c) => row.figures[c.key])]));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
