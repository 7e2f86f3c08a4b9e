/**
 * A report as every format renders it: a title block, numbered sections of paragraphs (and
 * tables), and attached tables. Kinds assemble it from their children's answers; the renderers in
 * formats/ know nothing of kinds. Text is plain: each renderer escapes it for its own format.
 */

export type Cell = string | number | null;

export interface HeaderCell {
  text: string;
  colSpan?: number;
  rowSpan?: number;
}

export interface TableBlock {
  id: string;
  title: string;
  subtitle?: string;
  /** Header rows as on the official form; a cell spans columns and rows like a merged cell. */
  header: HeaderCell[][];
  /** Relative widths, one per column. */
  widths: number[];
  rows: { cells: Cell[]; emphasis?: 'total' | 'group' }[];
  /** Columns (0-based) shown with two decimals (rates in percent, points) rather than as counts. */
  percentColumns?: number[];
}

/** Bars by category, one colour per series (rates in percent, 0–100). */
export interface BarChart {
  title: string;
  /** What the categories are (the column heading where the chart is read as a table). */
  categoryLabel?: string;
  categories: string[];
  series: { label: string; values: (number | null)[] }[];
}

export interface Section {
  heading: string;
  paragraphs: string[];
  table?: TableBlock;
  chart?: BarChart;
  subsections?: Section[];
}

export interface ReportDocument {
  kind: string;
  /** The title in capitals, as a Vietnamese administrative document prints it. */
  title: string;
  subtitle: string;
  issuer: string;
  agencyCode: string | null;
  period: { label: string; from: string; to: string; basis: 'calendar' | 'statutory' };
  /** When the figures were cut: nothing after this instant is counted. */
  dataCutAt: string;
  version: number;
  sections: Section[];
  /** Tables attached after the sections (Phụ lục), and the main table of a table-only kind. */
  attachments: TableBlock[];
  /** The figures the document was assembled from, as the children answered (the JSON format). */
  figures: Record<string, unknown>;
}

/** Counts the flat list of all tables a document holds, in reading order. */
export function tablesOf(doc: ReportDocument): TableBlock[] {
  const out: TableBlock[] = [];
  const walk = (s: Section) => {
    if (s.table) out.push(s.table);
    s.subsections?.forEach(walk);
  };
  doc.sections.forEach(walk);
  return [...out, ...doc.attachments];
}

/** The number of columns a header row spans. */
export const headerWidth = (row: HeaderCell[]): number => row.reduce((n, c) => n + (c.colSpan ?? 1), 0);

/**
 * Lays out header rows on a grid: each cell with its top-left position and span, taking account
 * of cells from rows above that span down (as XLSX merges and DOCX vertical merges need).
 */
export function headerGrid(
  header: HeaderCell[][],
): { cell: HeaderCell; row: number; col: number; rowSpan: number; colSpan: number }[] {
  const taken = new Set<string>();
  const out: { cell: HeaderCell; row: number; col: number; rowSpan: number; colSpan: number }[] = [];
  header.forEach((cells, r) => {
    let c = 0;
    for (const cell of cells) {
      while (taken.has(`${r}:${c}`)) c++;
      const rowSpan = cell.rowSpan ?? 1;
      const colSpan = cell.colSpan ?? 1;
      for (let i = 0; i < rowSpan; i++) for (let j = 0; j < colSpan; j++) taken.add(`${r + i}:${c + j}`);
      out.push({ cell, row: r, col: c, rowSpan, colSpan });
      c += colSpan;
    }
  });
  return out;
}

/** A rate in percent with two decimals, Vietnamese style (comma decimal); N/A when there is none. */
export function percentText(rate: number | null): string {
  if (rate === null) return 'không áp dụng';
  return `${(Math.round(rate * 10000) / 100).toLocaleString('vi-VN', { maximumFractionDigits: 2 })}%`;
}

/** Civil date YYYY-MM-DD as dd/mm/yyyy. */
export const vnDateText = (d: string): string => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
