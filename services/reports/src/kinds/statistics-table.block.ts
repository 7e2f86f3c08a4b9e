import { brokenTableIdentity, type StatisticsTable } from '@tthc/contracts';
import type { HeaderCell, TableBlock } from '../domain/document';
import { vnDateText } from '../domain/document';

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII'];

/** A table whose figures break an identity of Biểu 06 is never rendered nor issued. */
export class IdentityBroken extends Error {}

/** Checks the identities of Biểu 06 on the total and every row (the rule is in the contracts). */
export function checkTable(table: StatisticsTable): void {
  for (const row of [table.total, ...table.rows]) {
    const broken = brokenTableIdentity(row.figures);
    if (broken) throw new IdentityBroken(`Biểu 06, row ${row.label} (${row.id}): ${broken}`);
  }
  // The total is the sum of the level rows, and each level the sum of its fields.
  const sum = (rows: StatisticsTable['rows']) => rows.reduce((n, r) => n + r.figures.received, 0);
  const levels = table.rows.filter((r) => r.kind === 'level');
  if (levels.length > 0 && sum(levels) !== table.total.figures.received)
    throw new IdentityBroken('Biểu 06: the total is not the sum of its levels');
  for (const level of levels) {
    const fields = table.rows.filter((r) => r.kind === 'field' && r.authorityLevel === level.authorityLevel);
    if (fields.length > 0 && sum(fields) !== level.figures.received)
      throw new IdentityBroken(`Biểu 06: ${level.label} is not the sum of its fields`);
  }
}

/**
 * Biểu 06 of Thông tư 01/2020/TT-VPCP laid out as the form: STT and the row label over three
 * header rows, the column groups merged over their columns, then the column numbers (1)–(13);
 * the total first, then the levels numbered I, II, their fields 1, 2 (and procedures 1.1).
 */
export function statisticsBlock(table: StatisticsTable, fieldNames: ReadonlyMap<string, string>): TableBlock {
  checkTable(table);
  const groups: HeaderCell[] = [];
  for (const c of table.columns) {
    const last = groups[groups.length - 1];
    if (last && last.text === c.group) last.colSpan = (last.colSpan ?? 1) + 1;
    else groups.push({ text: c.group, colSpan: 1 });
  }
  const header: HeaderCell[][] = [
    [{ text: 'STT', rowSpan: 2 }, { text: 'Lĩnh vực, thủ tục hành chính', rowSpan: 2 }, ...groups],
    table.columns.map((c) => ({ text: c.label })),
    [{ text: '(1)' }, { text: '(2)' }, ...table.columns.map((c) => ({ text: `(${c.number})` }))],
  ];
  const figures = (f: Record<string, number>) => table.columns.map((c) => f[c.key] ?? 0);
  const rows: TableBlock['rows'] = [
    { cells: ['', 'Tổng cộng', ...figures(table.total.figures)], emphasis: 'total' },
  ];
  let level = 0;
  let field = 0;
  let procedure = 0;
  for (const row of table.rows) {
    let number: string;
    let label = row.label;
    if (row.kind === 'level') {
      number = ROMAN[level++] ?? String(level);
      field = 0;
    } else if (row.kind === 'field') {
      number = String(++field);
      procedure = 0;
      label = (row.fieldCode && fieldNames.get(row.fieldCode)) || row.label;
    } else number = `${field}.${++procedure}`;
    rows.push({
      cells: [number, label, ...figures(row.figures)],
      ...(row.kind === 'level' ? { emphasis: 'group' as const } : {}),
    });
  }
  return {
    id: 'bieu-06',
    title: 'Biểu số 06: Tình hình, kết quả giải quyết thủ tục hành chính',
    subtitle: `Kỳ báo cáo: ${table.period.label} (từ ngày ${vnDateText(table.period.from)} đến ngày ${vnDateText(table.period.to)})`,
    header,
    widths: [6, 30, ...table.columns.map(() => 9)],
    rows,
  };
}
