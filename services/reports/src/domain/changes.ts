import { headerGrid, tablesOf, type Cell, type ReportDocument, type TableBlock } from './document';

export interface Change {
  /** Where: the table, the row and the column, or the narrative field. */
  where: string;
  before: Cell;
  after: Cell;
}

/** The label of each column: its lowest header cell (the column numbers (1)…(13) where the form has them). */
function columnLabels(t: TableBlock): string[] {
  const labels: string[] = [];
  for (const g of headerGrid(t.header))
    for (let c = g.col; c < g.col + g.colSpan; c++) labels[c] = g.cell.text;
  return labels;
}

const rowKey = (cells: Cell[]) => `${cells[0] ?? ''} ${cells[1] ?? ''}`.trim();

/**
 * What a new version of a report changed against the one it supersedes: every table cell that
 * differs (rows matched by their number and label), rows added or gone, and the narrative fields
 * that differ. A correction names these beside the officer's note.
 */
export function diffDocuments(before: ReportDocument, after: ReportDocument, limit = 500): Change[] {
  const out: Change[] = [];
  const beforeTables = new Map(tablesOf(before).map((t) => [t.id, t]));
  for (const t of tablesOf(after)) {
    const old = beforeTables.get(t.id);
    const labels = columnLabels(t);
    const oldRows = new Map((old?.rows ?? []).map((r) => [rowKey(r.cells), r.cells]));
    for (const row of t.rows) {
      const key = rowKey(row.cells);
      const prev = oldRows.get(key);
      oldRows.delete(key);
      row.cells.forEach((v, j) => {
        if (j < 2) return;
        const was = prev ? (prev[j] ?? null) : null;
        if (was !== v)
          out.push({ where: `${t.title} › ${key} › ${labels[j] ?? j + 1}`, before: was, after: v });
      });
    }
    for (const [key] of oldRows) out.push({ where: `${t.title} › ${key}`, before: 'có', after: null });
  }
  const n0 = (before.figures.narrative ?? {}) as Record<string, unknown>;
  const n1 = (after.figures.narrative ?? {}) as Record<string, unknown>;
  for (const key of new Set([...Object.keys(n0), ...Object.keys(n1)])) {
    const a = JSON.stringify(n0[key] ?? null);
    const b = JSON.stringify(n1[key] ?? null);
    if (a !== b) out.push({ where: `narrative.${key}`, before: a, after: b });
  }
  return out.slice(0, limit);
}
