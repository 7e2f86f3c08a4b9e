import { vnDate } from '@tthc/calendar';
import type { StatisticsDossierRow } from '@tthc/contracts';
import type { Executor } from '@tthc/db';
import type { KpiDb } from '../db/schema';
import { BadInput } from '../domain/bad-input';
import { dimsOf } from '../domain/contributions';
import type { Period } from '../domain/period';
import type { Scope } from '../domain/scope';
import { drillDossiers } from './drill-down';
import { periodFigures } from './period-figures';
import { sumBags } from '../domain/measures';
import {
  buildTable,
  COLUMN_MEASURES,
  rowDims,
  rowFilter,
  tableFigures,
  type ColumnKey,
} from './statistics-table';

/**
 * The dossiers counted in one cell of the statistics table, with the number in the cell: a page
 * at a time; the pages together list exactly that many dossiers.
 */
export async function statisticsCell(
  db: Executor<KpiDb>,
  req: {
    period: Period;
    scope: Scope;
    row: string;
    column: ColumnKey;
    cursor?: string | undefined;
    limit: number;
  },
) {
  const filter = rowFilter(req.row);
  if (!filter)
    throw new BadInput(
      '/row',
      'a row is total, level:<level>, field:<level>:<field> or procedure:<level>:<field>:<procedure>',
      'invalid_row',
    );
  const measures = COLUMN_MEASURES[req.column];
  // The cell's number from the sources its column is made of only, read beside the page.
  const [narrow, page] = await Promise.all([
    periodFigures(db, req.scope, req.period, undefined, { asOfCorrections: false, measures }),
    drillDossiers(db, {
      scope: req.scope,
      span: req.period,
      measures,
      dims: rowDims(req.row),
      where: (t) => filter(dimsOf(t)),
      cursor: req.cursor,
      limit: req.limit,
    }),
  ]);
  const inRow = narrow.entries().filter(([k]) => filter(k));
  if (inRow.length > 0)
    return {
      row: req.row,
      column: req.column,
      value: tableFigures(sumBags(inRow.map(([, b]) => b)))[req.column],
      ...page,
    };
  // Nothing of the row in those sources: the whole table says whether the row is one (its cell 0).
  const table = buildTable(await periodFigures(db, req.scope, req.period), {
    byProcedure: req.row.startsWith('procedure:'),
  });
  const row = [table.total, ...table.rows].find((r) => r.id === req.row);
  if (!row)
    throw new BadInput(
      '/row',
      `the table of this period and scope has no row ${req.row}`,
      'unknown_row',
      404,
    );
  return { row: row.id, column: req.column, value: row.figures[req.column], ...page };
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * The dossiers of the table's "tổng số hồ sơ" (carried over and received in the period), a page
 * at a time in order of receipt, each with how it stood at the end of the period: a report's
 * detail appendix. `total` is the table's own cell, so the pages can be checked against it.
 */
export async function statisticsDossiers(
  db: Executor<KpiDb>,
  req: { period: Period; scope: Scope; cursor?: string | undefined; limit: number },
): Promise<{ total: number; items: StatisticsDossierRow[]; nextCursor: string | null }> {
  const cell = await statisticsCell(db, { ...req, row: 'total', column: 'received' });
  return {
    total: cell.value,
    nextCursor: cell.nextCursor,
    items: cell.items.map((i) => {
      const d = i.detail;
      return {
        code: i.code,
        agencyCode: text(d['agencyCode']),
        procedureCode: text(d['procedureCode']),
        fieldCode: text(d['fieldCode']),
        authorityLevel: text(d['authorityLevel']) ?? 'unknown',
        channel: text(d['channel']),
        receivedDay: text(d['receivedDay']),
        endedDay: text(d['endedAt']) ? vnDate(new Date(d['endedAt'] as string)) : null,
        endKind: text(d['endKind']),
        legalOutcome: text(d['legalOutcome']),
        supplementRequests: typeof d['supplementRequests'] === 'number' ? d['supplementRequests'] : 0,
      };
    }),
  };
}
