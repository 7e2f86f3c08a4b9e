import { vnDate } from '@tthc/calendar';
import { errorResponses, type ServiceApp } from '@tthc/service-kit';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { FrameworkCode } from '../frameworks/framework';
import { ranking } from '../ranking/ranking';
import { asProblem, booleanQuery, FigureQuery } from './figure-query';

const PeriodOut = z.object({
  kind: z.string(),
  basis: z.string(),
  label: z.string(),
  from: z.string(),
  to: z.string(),
});

export const Ranking = z
  .object({
    source: z.enum(['indicators', 'framework']),
    framework: z.string().nullable(),
    period: PeriodOut,
    previousPeriod: PeriodOut,
    groups: z.array(z.object({ id: z.string(), name: z.string() })),
    items: z.array(
      z.object({
        agencyCode: z.string(),
        total: z.number().nullable().meta({
          description:
            'indicators: points restated out of 100 over the criteria that apply; framework: its total',
        }),
        rank: z
          .number()
          .int()
          .nullable()
          .meta({ description: 'competition ranking: ties share a rank (1, 1, 3)' }),
        previousTotal: z.number().nullable(),
        previousRank: z.number().int().nullable(),
        groups: z.array(
          z.object({ id: z.string(), points: z.number().nullable(), rank: z.number().int().nullable() }),
        ),
      }),
    ),
  })
  .meta({
    id: 'Ranking',
    examples: [
      {
        source: 'indicators',
        framework: null,
        period: {
          kind: 'quarter',
          basis: 'calendar',
          label: '2026-Q2',
          from: '2026-04-01',
          to: '2026-06-30',
        },
        previousPeriod: {
          kind: 'quarter',
          basis: 'calendar',
          label: '2026-Q1',
          from: '2026-01-01',
          to: '2026-03-31',
        },
        groups: [{ id: 'progress', name: 'Tiến độ giải quyết' }],
        items: [
          {
            agencyCode: '000.00.17.H55',
            total: 86.5,
            rank: 1,
            previousTotal: 80.25,
            previousRank: 2,
            groups: [{ id: 'progress', points: 20, rank: 1 }],
          },
          {
            agencyCode: '000.00.12.H55',
            total: 82,
            rank: 2,
            previousTotal: 84,
            previousRank: 1,
            groups: [{ id: 'progress', points: 18.5, rank: 2 }],
          },
        ],
      },
    ],
  });

export function rankingRoutes(app: ServiceApp, deps: AppDeps): void {
  app.get(
    '/v1/kpi/rankings',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader'], agencyScoped: true },
        operationId: 'getRanking',
        tags: ['kpi'],
        summary:
          'Agencies ranked by total score and by group for a period (indicator set or a framework), ties sharing a rank, with the previous period’s rank',
        querystring: FigureQuery.pick({ period: true, from: true, to: true, basis: true }).extend({
          agencies: z.string().max(4000).optional().meta({
            description: 'comma-separated agency codes to rank; default: every agency you may see',
          }),
          source: z
            .enum(['indicators', 'framework'])
            .default('indicators')
            .meta({ description: 'rank by the national indicator set or by a reform-index framework' }),
          framework: FrameworkCode.optional().meta({
            description: 'with source=framework: its code (year: the period’s)',
          }),
          includeSubAgencies: booleanQuery('true').meta({
            description: 'count each agency with the agencies below it (indicator set)',
          }),
        }),
        response: { 200: Ranking, ...errorResponses(403, 404, 422) },
      },
    },
    async (request) => {
      try {
        return await ranking(deps.db, request.identity, request.query, vnDate(deps.clock()));
      } catch (err) {
        throw asProblem(err);
      }
    },
  );
}
