import { errorResponses, PageQuery, type ServiceApp } from '@tthc/service-kit';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { indicatorSetCompared, oneCriterion } from '../indicators/indicator-set';
import { answering, booleanQuery, FigureQuery, figureRequest, asProblem } from './figure-query';
import { IndicatorSet } from '@tthc/contracts';
import { CriterionPage } from './indicators.schemas';

export function indicatorRoutes(app: ServiceApp, deps: AppDeps): void {
  app.get(
    '/v1/kpi/indicators',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader'], agencyScoped: true },
        operationId: 'getIndicatorSet',
        tags: ['kpi'],
        summary:
          'The indicator set of Quyết định 766/QĐ-TTg for a period and agency: every criterion scored, group and total scores',
        querystring: FigureQuery.extend({
          compare: booleanQuery('false').meta({
            description: 'add the previous period and the same period last year',
          }),
        }),
        response: { 200: IndicatorSet, ...errorResponses(403, 404, 422) },
      },
    },
    async (request) =>
      answering(request.log, async () => {
        const req = await figureRequest(deps, request.identity, request.query);
        return {
          ...(await indicatorSetCompared(deps.db, req.period, req.scope, request.query.compare)),
          agencies: req.agencies,
        };
      }),
  );

  app.get(
    '/v1/kpi/indicators/:criterion',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader'], agencyScoped: true },
        operationId: 'getIndicatorCriterion',
        tags: ['kpi'],
        summary: 'One criterion of the indicator set, with the members of its numerator or denominator',
        params: z.object({
          criterion: z.string().min(1).max(80).meta({ example: 'online.dossiers_online' }),
        }),
        querystring: FigureQuery.extend({
          part: z
            .enum(['numerator', 'denominator'])
            .optional()
            .meta({ description: 'list the members of this part, a page at a time' }),
          ...PageQuery,
        }),
        response: { 200: CriterionPage, ...errorResponses(403, 404, 422) },
      },
    },
    async (request) =>
      answering(request.log, async () => {
        const req = await figureRequest(deps, request.identity, request.query);
        try {
          const { part, cursor, limit } = request.query;
          const { result, ruleSet, drillDown } = await oneCriterion(
            deps.db,
            req.period,
            req.scope,
            request.params.criterion,
            part ? { part, cursor, limit } : undefined,
          );
          return {
            ruleSet: {
              id: ruleSet.id,
              name: ruleSet.name,
              legalBasis: ruleSet.legalBasis,
              effectiveFrom: ruleSet.effectiveFrom,
              params: ruleSet.params,
            },
            period: {
              kind: req.period.kind,
              basis: req.period.basis,
              label: req.period.label,
              from: req.period.from,
              to: req.period.to,
            },
            agencies: req.agencies,
            criterion: result,
            drillDown: part && drillDown ? { part, ...drillDown } : null,
          };
        } catch (err) {
          throw asProblem(err, 'params');
        }
      }),
  );
}
