import { errorResponses, PageQuery, type ServiceApp } from '@tthc/service-kit';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { statisticsCsv } from '../figures/statistics-csv';
import { statisticsTable } from '../figures/statistics';
import { statisticsCell } from '../figures/statistics-drill';
import { COLUMN_KEYS, type ColumnKey } from '../figures/statistics-table';
import { answering, booleanQuery, FigureQuery, figureRequest } from './figure-query';
import { StatisticsTable } from '@tthc/contracts';
import { StatisticsCell } from './statistics.schemas';

const TableQuery = FigureQuery.extend({
  byProcedure: booleanQuery('false').meta({ description: 'a row per procedure under each field' }),
  compare: booleanQuery('false').meta({
    description: 'add the previous period’s and the same period last year’s totals',
  }),
});

export function statisticsRoutes(app: ServiceApp, deps: AppDeps): void {
  app.get(
    '/v1/kpi/statistics',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader'], agencyScoped: true },
        operationId: 'getDossierStatistics',
        tags: ['kpi'],
        summary: 'The dossier statistics table (Biểu 06, Thông tư 01/2020/TT-VPCP) for a period and agency',
        description:
          'Rows by authority level then field (optionally procedure), the 13 columns of the form, totals; the four identities are checked on every row before the answer leaves the service.',
        querystring: TableQuery,
        response: { 200: StatisticsTable, ...errorResponses(403, 404) },
      },
    },
    async (request) =>
      answering(request.log, async () => {
        const req = await figureRequest(deps, request.identity, request.query);
        const table = await statisticsTable(deps.db, {
          ...req,
          byProcedure: request.query.byProcedure,
          compare: request.query.compare,
        });
        return { ...table, agencies: req.agencies };
      }),
  );

  app.get(
    '/v1/kpi/statistics/csv',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader'], agencyScoped: true },
        operationId: 'getDossierStatisticsCsv',
        tags: ['kpi'],
        summary: 'The dossier statistics table (Biểu 06) as CSV, in the form’s layout',
        querystring: TableQuery.omit({ compare: true }),
        response: {
          200: z.string().meta({
            'x-content-type': 'text/csv',
            description:
              'UTF-8 CSV with a byte-order mark: the form’s three header lines, the total, then the rows',
            example: '"STT","Lĩnh vực, thủ tục hành chính",…',
          }),
          ...errorResponses(403, 404),
        },
      },
    },
    async (request, reply) => {
      const { csv, name } = await answering(request.log, async () => {
        const req = await figureRequest(deps, request.identity, request.query);
        const table = await statisticsTable(deps.db, {
          ...req,
          byProcedure: request.query.byProcedure,
          compare: false,
        });
        const who = req.agencies.reportingAgency ?? 'toan-tinh';
        return {
          csv: statisticsCsv(table, req.agencies.reportingAgency ?? 'toàn tỉnh'),
          name: `bieu-06-${who}-${req.period.label.replace(/\.\./, '_')}`,
        };
      });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}.csv"`)
        .send(csv);
    },
  );

  app.get(
    '/v1/kpi/statistics/drill-down',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader'], agencyScoped: true },
        operationId: 'getDossierStatisticsCell',
        tags: ['kpi'],
        summary:
          'The dossiers counted in one cell of the statistics table, with the fact that put each there',
        description:
          'Keyset-paginated in order of receipt (day, then dossier code); the pages together list exactly as many dossiers as the cell says (`value`).',
        querystring: FigureQuery.extend({
          row: z.string().max(200).default('total').meta({
            description:
              'a row id of the table: total, level:province, field:province:DUOC_PHAM, procedure:province:DUOC_PHAM:1.004579',
          }),
          column: z
            .enum(COLUMN_KEYS as [ColumnKey, ...ColumnKey[]])
            .meta({ description: 'a column of the table', example: 'resolvedLate' }),
          ...PageQuery,
        }),
        response: { 200: StatisticsCell, ...errorResponses(403, 404) },
      },
    },
    async (request) =>
      answering(request.log, async () => {
        const req = await figureRequest(deps, request.identity, request.query);
        const { row, column, cursor, limit } = request.query;
        const cell = await statisticsCell(deps.db, {
          period: req.period,
          scope: req.scope,
          row,
          column,
          cursor,
          limit,
        });
        return {
          period: {
            kind: req.period.kind,
            basis: req.period.basis,
            label: req.period.label,
            from: req.period.from,
            to: req.period.to,
          },
          agencies: req.agencies,
          ...cell,
        };
      }),
  );
}
