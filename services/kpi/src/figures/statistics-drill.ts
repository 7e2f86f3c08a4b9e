import type { Executor } from '@tthc/db';
import type { KpiDb } from '../db/schema';
import { BadInput } from '../domain/bad-input';
import { dimsOf } from '../domain/contributions';
import type { Period } from '../domain/period';
import type { Scope } from '../domain/scope';
import { drillDossiers } from './drill-down';
import { periodFigures } from './period-figures';
import { buildTable, COLUMN_MEASURES, rowFilter, type ColumnKey } from './statistics-table';

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
  const page = await drillDossiers(db, {
    scope: req.scope,
    span: req.period,
    measures: COLUMN_MEASURES[req.column],
    where: (t) => filter(dimsOf(t)),
    cursor: req.cursor,
    limit: req.limit,
  });
  return { row: row.id, column: req.column, value: row.figures[req.column], ...page };
}
