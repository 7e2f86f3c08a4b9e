import {
  callerOf,
  errorResponses,
  HttpProblem,
  problems,
  type ServiceApp,
  ADMIN_ONLY,
} from '@tthc/service-kit';
import type { AppDeps } from '../deps';
import { insertRuleSet } from '../db/rule-set.repository';
import { ruleSets } from '../indicators/indicator-set';
import { unknownCriteria } from '../indicators/registry';
import { IndicatorRuleSet } from '../indicators/rule-set';
import { RULE_SET_766_2023 } from '../db/migrations/seed/rule-set-766-2023';
import { RuleSetList } from './indicators.schemas';

export function ruleSetRoutes(app: ServiceApp, deps: AppDeps): void {
  app.get(
    '/v1/kpi/rule-sets',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader'], agencyScoped: false },
        operationId: 'listIndicatorRuleSets',
        tags: ['kpi'],
        summary:
          'The effective-dated indicator rule sets (maxima, thresholds, the progress population, publication delays)',
        response: { 200: RuleSetList, ...errorResponses(403) },
      },
    },
    async () => ({ items: await ruleSets(deps.db) }),
  );

  app.post(
    '/v1/kpi/rule-sets',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'addIndicatorRuleSet',
        'x-idempotent': true,
        tags: ['kpi'],
        summary: 'Add an indicator rule set from a date (a change of law); existing sets are never edited',
        body: IndicatorRuleSet.meta({
          example: { ...RULE_SET_766_2023, id: 'QD766-2027', effectiveFrom: '2027-01-01' },
        }),
        response: {
          201: IndicatorRuleSet.meta({
            example: { ...RULE_SET_766_2023, id: 'QD766-2027', effectiveFrom: '2027-01-01' },
          }),
          ...errorResponses(403, 409, 422),
        },
      },
    },
    async (request, reply) => {
      const set = request.body;
      const unknown = unknownCriteria(set);
      if (unknown.length > 0) {
        throw problems.unprocessable(
          'unknown_criterion',
          `the service cannot count: ${unknown.join(', ')}`,
          set.groups
            .flatMap((g, gi) =>
              g.criteria.map((c, ci) => ({ c, pointer: `/groups/${gi}/criteria/${ci}/id` })),
            )
            .filter(({ c }) => unknown.includes(c.id))
            .map(({ pointer, c }) => ({ in: 'body' as const, pointer, detail: `unknown criterion ${c.id}` })),
        );
      }
      const added = await insertRuleSet(deps.db, {
        id: set.id,
        name: set.name,
        legalBasis: set.legalBasis,
        effectiveFrom: set.effectiveFrom,
        definition: set,
        createdBy: callerOf(request).sub,
      });
      if (!added)
        throw new HttpProblem(
          409,
          'rule_set_exists',
          'Xung đột dữ liệu',
          `a rule set with id ${set.id} or from ${set.effectiveFrom} exists; rule sets are never edited`,
        );
      return reply.status(201).send(set);
    },
  );
}
