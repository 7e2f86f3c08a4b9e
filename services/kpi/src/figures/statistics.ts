import type { Executor } from '@tthc/db';
import { procedureNames } from '../db/procedure.repository';
import type { KpiDb } from '../db/schema';
import { previousPeriod, samePeriodLastYear, type Period } from '../domain/period';
import type { Scope } from '../domain/scope';
import { periodFigures } from './period-figures';
import { buildTable, TABLE_COLUMNS, type TableRow } from './statistics-table';

export interface StatisticsRequest {
  period: Period;
  scope: Scope;
  byProcedure: boolean;
  compare: boolean;
}

const periodOut = (p: Period) => ({ kind: p.kind, basis: p.basis, label: p.label, from: p.from, to: p.to });

/** The Biểu 06 table for a period and scope, identities checked, with optional comparisons. */
export async function statisticsTable(db: Executor<KpiDb>, req: StatisticsRequest) {
  const groups = await periodFigures(db, req.scope, req.period);
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
      total: buildTable(await periodFigures(db, req.scope, p), { byProcedure: false }).total,
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
