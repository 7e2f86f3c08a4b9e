import { AgenciesOut, CriterionOut, criterionExample, PeriodOut, RuleSetOut } from '@tthc/contracts';
import { z } from 'zod';
import { RULE_SET_766_2023 } from '../db/migrations/seed/rule-set-766-2023';
import { IndicatorRuleSet } from '../indicators/rule-set';

export const DrillItem = z.object({
  code: z.string().meta({ description: 'the dossier, procedure or feedback code' }),
  kind: z.enum(['dossier', 'procedure', 'feedback']),
  fact: z.string().meta({ description: 'what put it in the cell, with its date' }),
  detail: z.record(z.string(), z.unknown()),
});

export const DrillPage = z.object({
  part: z.string(),
  items: z.array(DrillItem),
  nextCursor: z.string().nullable(),
});

export const CriterionPage = z
  .object({
    ruleSet: RuleSetOut,
    period: PeriodOut,
    agencies: AgenciesOut,
    criterion: CriterionOut,
    drillDown: DrillPage.nullable().meta({
      description: 'with part=numerator or denominator: the members counted, a page at a time',
    }),
  })
  .meta({
    id: 'IndicatorCriterion',
    examples: [
      {
        ruleSet: {
          id: 'QD766-2023',
          name: 'Bộ chỉ số … (Quyết định 766/QĐ-TTg)',
          legalBasis: 'Quyết định 766/QĐ-TTg ngày 23/6/2023',
          effectiveFrom: '2023-06-23',
          params: {},
        },
        period: {
          kind: 'quarter',
          basis: 'calendar',
          label: '2026-Q1',
          from: '2026-01-01',
          to: '2026-03-31',
        },
        agencies: { reportingAgency: null, agencyCodes: null, tree: 'province' },
        criterion: criterionExample,
        drillDown: {
          part: 'numerator',
          items: [
            {
              code: '000.20.17.H55-260302-0001',
              kind: 'dossier',
              fact: 'received online on 2026-03-02',
              detail: { channel: 'online', receivedAt: '2026-03-02T02:00:00.000Z' },
            },
          ],
          nextCursor: null,
        },
      },
    ],
  });

export const RuleSetList = z
  .object({ items: z.array(IndicatorRuleSet) })
  .meta({ id: 'IndicatorRuleSets', examples: [{ items: [RULE_SET_766_2023] }] });
