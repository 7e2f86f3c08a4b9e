import { z } from 'zod';
import { PeriodOut } from './statistics.schemas';
import { IndicatorRuleSet } from '../indicators/rule-set';

export const CriterionOut = z.object({
  id: z.string(),
  group: z.string(),
  name: z.string(),
  source: z.string().meta({ description: 'the legal source of the criterion' }),
  numerator: z.number().int().nullable(),
  denominator: z.number().int().nullable(),
  rate: z.number().nullable().meta({ description: 'numerator / denominator, unrounded (as scored)' }),
  ratePercent: z.number().nullable().meta({ description: 'the rate in percent, rounded to two decimals for display' }),
  threshold: z.number().nullable(),
  points: z.number().nullable().meta({ description: 'rounded to two decimals; sums use the unrounded points' }),
  max: z.number(),
  status: z.enum(['scored', 'not_applicable', 'full_marks_none']),
  note: z.string().nullable(),
});

const Tally = {
  points: z.number(),
  max: z.number(),
  applicableMax: z.number().meta({ description: 'the maximum of the criteria that apply (not applicable ones left out)' }),
  scaled: z.number().nullable().meta({ description: 'the points out of 100 of the applicable maximum' }),
};

const RuleSetOut = z.object({ id: z.string(), name: z.string(), legalBasis: z.string(), effectiveFrom: z.iso.date(), params: z.record(z.string(), z.unknown()) });

const criterionExample = {
  id: 'online.dossiers_online',
  group: 'online',
  name: 'Hồ sơ nộp trực tuyến',
  source: 'Quyết định 766/QĐ-TTg ngày 23/6/2023, Phụ lục, nhóm 3 (Dịch vụ trực tuyến), chỉ số 3',
  numerator: 3,
  denominator: 5,
  rate: 0.6,
  ratePercent: 60,
  threshold: 0.5,
  points: 6,
  max: 6,
  status: 'scored',
  note: null,
};

export const IndicatorSetOut = z
  .object({
    ruleSet: RuleSetOut,
    period: PeriodOut,
    agencies: z.object({ reportingAgency: z.string().nullable(), agencyCodes: z.array(z.string()).nullable(), tree: z.string() }),
    total: z.object(Tally),
    groups: z.array(z.object({ id: z.string(), name: z.string(), ...Tally, criteria: z.array(CriterionOut) })),
    comparison: z
      .object({
        previous: z.object({ period: PeriodOut, total: z.object(Tally), criteria: z.array(z.object({ id: z.string(), ratePercent: z.number().nullable(), points: z.number().nullable(), status: z.string() })) }),
        lastYear: z.object({ period: PeriodOut, total: z.object(Tally), criteria: z.array(z.object({ id: z.string(), ratePercent: z.number().nullable(), points: z.number().nullable(), status: z.string() })) }),
      })
      .nullable(),
  })
  .meta({
    id: 'IndicatorSet',
    description: 'The indicator set of Quyết định 766/QĐ-TTg: each criterion’s numerator, denominator, rate and points, group and total scores',
    examples: [
      {
        ruleSet: { id: 'QD766-2023', name: 'Bộ chỉ số … (Quyết định 766/QĐ-TTg)', legalBasis: 'Quyết định 766/QĐ-TTg ngày 23/6/2023', effectiveFrom: '2023-06-23', params: { progressPopulation: 'received_and_carried_over' } },
        period: { kind: 'quarter', basis: 'calendar', label: '2026-Q1', from: '2026-01-01', to: '2026-03-31' },
        agencies: { reportingAgency: '000.00.17.H55', agencyCodes: ['000.00.17.H55'], tree: 'code' },
        total: { points: 61.5, max: 98, applicableMax: 90, scaled: 68.33 },
        groups: [{ id: 'online', name: 'Dịch vụ trực tuyến', points: 11.67, max: 12, applicableMax: 12, scaled: 97.22, criteria: [criterionExample] }],
        comparison: null,
      },
    ],
  });

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
    agencies: z.object({ reportingAgency: z.string().nullable(), agencyCodes: z.array(z.string()).nullable(), tree: z.string() }),
    criterion: CriterionOut,
    drillDown: DrillPage.nullable().meta({ description: 'with part=numerator or denominator: the members counted, a page at a time' }),
  })
  .meta({
    id: 'IndicatorCriterion',
    examples: [
      {
        ruleSet: { id: 'QD766-2023', name: 'Bộ chỉ số … (Quyết định 766/QĐ-TTg)', legalBasis: 'Quyết định 766/QĐ-TTg ngày 23/6/2023', effectiveFrom: '2023-06-23', params: {} },
        period: { kind: 'quarter', basis: 'calendar', label: '2026-Q1', from: '2026-01-01', to: '2026-03-31' },
        agencies: { reportingAgency: null, agencyCodes: null, tree: 'province' },
        criterion: criterionExample,
        drillDown: {
          part: 'numerator',
          items: [{ code: '000.20.17.H55-260302-0001', kind: 'dossier', fact: 'received online on 2026-03-02', detail: { channel: 'online', receivedAt: '2026-03-02T02:00:00.000Z' } }],
          nextCursor: null,
        },
      },
    ],
  });

export const RuleSetList = z.object({ items: z.array(IndicatorRuleSet) }).meta({ id: 'IndicatorRuleSets' });
