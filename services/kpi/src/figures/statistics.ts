import type { Executor } from '@tthc/db';
import { procedureNames } from '../db/procedure.repository';
import type { KpiDb } from '../db/schema';
import { previousPeriod, samePeriodLastYear, type Period } from '../domain/period';
import type { Scope } from '../domain/scope';
import { periodFigures, type FigureSource } from './period-figures';
import { buildTable, TABLE_COLUMNS, type TableRow } from './statistics-table';

export interface StatisticsRequest {
  period: Period;
  scope: Scope;
  byProcedure: boolean;
  compare: boolean;
}

/** The table's columns depend on no fact after the period: no as-of corrections needed. */
const TABLE_ONLY = { asOfCorrections: false };

const periodOut = (p: Period) => ({ kind: p.kind, basis: p.basis, label: p.label, from: p.from, to: p.to });

/**
 * The Biểu 06 table for a period and scope, identities checked, with optional comparisons. The
 * counters come from the rollups; the benchmark passes directFigures to time the same table
 * computed over every timeline.
 */
export async function statisticsTable(
  db: Executor<KpiDb>,
  req: StatisticsRequest,
  figures: FigureSource = periodFigures,
) {
  const groups = await figures(db, req.scope, req.period, undefined, TABLE_ONLY);
  const codes = req.byProcedure ? [...new Set(groups.entries().map(([k]) => k.procedureCode))] : [];
  const table = buildTable(groups, {
    byProcedure: req.byProcedure,
    procedureNames: await procedureNames(db, codes),
  });
  let comparison: {
    previous: { period: ReturnType<typeof periodOut>; total: TableRow };
    lastYear: { period: ReturnType<typeof periodOut>; total: TableRow };
  } | null = null;
  if (req.compare) {
    const other = async (p: Period) => ({
      period: periodOut(p),
      total: buildTable(await figures(db, req.scope, p, undefined, TABLE_ONLY), { byProcedure: false }).total,
    });
    const [previous, lastYear] = await Promise.all([
      other(previousPeriod(req.period)),
      other(samePeriodLastYear(req.period)),
    ]);
    comparison = { previous, lastYear };
  }
  return {
    form: 'Biểu 06 (Thông tư 01/2020/TT-VPCP)',
    period: periodOut(req.period),
    fieldCode: req.scope.fieldCode,
    procedureCode: req.scope.procedureCode,
    byProcedure: req.byProcedure,
    columns: TABLE_COLUMNS.map((c) => ({ ...c })),
    total: table.total,
    rows: table.rows,
    comparison,
  };
}

export type StatisticsAnswer = Awaited<ReturnType<typeof statisticsTable>>;
