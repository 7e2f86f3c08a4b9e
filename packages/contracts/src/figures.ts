import { z } from 'zod';
import { AgencyCode } from './identity';

const isoDate = z.iso.date();

/**
 * What a figure is asked for, as a job (the reports service's flows) or through the API: a
 * period and the agencies, field or procedure it covers. A job comes from a trusted service and is
 * counted province-wide for the agencies it names; the reports service checks its caller's scope.
 */
export const FigureRequest = z.object({
  period: z
    .string()
    .max(20)
    .optional()
    .meta({ description: 'YYYY, YYYY-MM, YYYY-Qn or YYYY-Hn; or give from and to', example: '2026-Q1' }),
  from: isoDate.optional(),
  to: isoDate.optional(),
  basis: z.enum(['calendar', 'statutory']).default('calendar'),
  agencyCode: AgencyCode.optional(),
  /** The agencies to count as the catalogue's tree gives them; default: below agencyCode by electronic code. */
  agencies: z.array(AgencyCode).max(500).optional(),
  includeSubAgencies: z.boolean().default(true),
  fieldCode: z.string().min(1).max(50).optional(),
  procedureCode: z.string().min(1).max(60).optional(),
});
export type FigureRequest = z.infer<typeof FigureRequest>;

export const PeriodOut = z.object({
  kind: z.enum(['month', 'quarter', 'half', 'year', 'custom']),
  basis: z.enum(['calendar', 'statutory']),
  label: z.string(),
  from: isoDate,
  to: isoDate,
});

export const AgenciesOut = z.object({
  reportingAgency: z.string().nullable(),
  agencyCodes: z
    .array(z.string())
    .nullable()
    .meta({ description: 'the deciding agencies counted; null: the whole province' }),
  tree: z
    .enum(['explicit', 'identity', 'code', 'single', 'province'])
    .meta({ description: 'how the sub-agencies were decided' }),
});

const count = z.number().int().nonnegative();
export const TableFigures = z.object({
  received: count,
  receivedOnline: count,
  receivedDirectPostal: count,
  carriedOver: count,
  resolved: count,
  resolvedEarly: count,
  resolvedOnTime: count,
  resolvedLate: count,
  inProgress: count,
  inProgressWithinTime: count,
  inProgressOverdue: count,
});

export type TableFigures = z.infer<typeof TableFigures>;

/**
 * The identities of Biểu 06 (Thông tư 01/2020/TT-VPCP; domain.md, Reports), and every figure a
 * count: the name of the first one a row breaks, or null. kpi checks them before an answer leaves
 * it; reports checks them again before a table is rendered or issued.
 */
export function brokenTableIdentity(f: TableFigures): string | null {
  const identities: [string, boolean][] = [
    [
      'received = online + direct/postal + carried over',
      f.received === f.receivedOnline + f.receivedDirectPostal + f.carriedOver,
    ],
    ['resolved = early + on time + late', f.resolved === f.resolvedEarly + f.resolvedOnTime + f.resolvedLate],
    ['in progress = within time + overdue', f.inProgress === f.inProgressWithinTime + f.inProgressOverdue],
    ['received = resolved + in progress', f.received === f.resolved + f.inProgress],
    ['every figure ≥ 0', Object.values(f).every((v) => Number.isInteger(v) && v >= 0)],
  ];
  return identities.find(([, ok]) => !ok)?.[0] ?? null;
}

export const TableRow = z.object({
  id: z.string().meta({ description: 'names the row in a drill-down' }),
  kind: z.enum(['total', 'level', 'field', 'procedure']),
  authorityLevel: z.string().nullable(),
  fieldCode: z.string().nullable(),
  procedureCode: z.string().nullable(),
  label: z.string(),
  figures: TableFigures,
});

const exampleFigures = {
  received: 12,
  receivedOnline: 7,
  receivedDirectPostal: 3,
  carriedOver: 2,
  resolved: 9,
  resolvedEarly: 5,
  resolvedOnTime: 3,
  resolvedLate: 1,
  inProgress: 3,
  inProgressWithinTime: 2,
  inProgressOverdue: 1,
};

/** The dossier statistics table (Biểu 06, Thông tư 01/2020/TT-VPCP). */
export const StatisticsTable = z
  .object({
    form: z.string(),
    period: PeriodOut,
    agencies: AgenciesOut,
    fieldCode: z.string().nullable(),
    procedureCode: z.string().nullable(),
    byProcedure: z.boolean(),
    columns: z.array(
      z.object({ key: z.string(), number: z.number().int(), group: z.string(), label: z.string() }),
    ),
    total: TableRow,
    rows: z.array(TableRow),
    comparison: z
      .object({
        previous: z.object({ period: PeriodOut, total: TableRow }),
        lastYear: z.object({ period: PeriodOut, total: TableRow }),
      })
      .nullable()
      .meta({
        description: 'with compare: the totals of the previous period and of the same period a year before',
      }),
  })
  .meta({
    id: 'StatisticsTable',
    description: 'Biểu 06: dossiers received, resolved and in progress, by authority level and field',
    examples: [
      {
        form: 'Biểu 06 (Thông tư 01/2020/TT-VPCP)',
        period: {
          kind: 'quarter',
          basis: 'calendar',
          label: '2026-Q1',
          from: '2026-01-01',
          to: '2026-03-31',
        },
        agencies: {
          reportingAgency: '000.00.17.H55',
          agencyCodes: ['000.00.17.H55', '000.01.17.H55'],
          tree: 'code',
        },
        fieldCode: null,
        procedureCode: null,
        byProcedure: false,
        columns: [{ key: 'received', number: 3, group: 'Số hồ sơ nhận giải quyết', label: 'Tổng số' }],
        total: {
          id: 'total',
          kind: 'total',
          authorityLevel: null,
          fieldCode: null,
          procedureCode: null,
          label: 'Tổng cộng',
          figures: exampleFigures,
        },
        rows: [
          {
            id: 'level:province',
            kind: 'level',
            authorityLevel: 'province',
            fieldCode: null,
            procedureCode: null,
            label: 'Cấp tỉnh',
            figures: exampleFigures,
          },
          {
            id: 'field:province:DUOC_PHAM',
            kind: 'field',
            authorityLevel: 'province',
            fieldCode: 'DUOC_PHAM',
            procedureCode: null,
            label: 'DUOC_PHAM',
            figures: exampleFigures,
          },
        ],
        comparison: null,
      },
    ],
  });
export type StatisticsTable = z.infer<typeof StatisticsTable>;

export const CriterionOut = z.object({
  id: z.string(),
  group: z.string(),
  name: z.string(),
  source: z.string().meta({ description: 'the legal source of the criterion' }),
  numerator: z.number().int().nullable(),
  denominator: z.number().int().nullable(),
  rate: z.number().nullable().meta({ description: 'numerator / denominator, unrounded (as scored)' }),
  ratePercent: z
    .number()
    .nullable()
    .meta({ description: 'the rate in percent, rounded to two decimals for display' }),
  threshold: z.number().nullable(),
  points: z
    .number()
    .nullable()
    .meta({ description: 'rounded to two decimals; sums use the unrounded points' }),
  max: z.number(),
  status: z.enum(['scored', 'not_applicable', 'full_marks_none']),
  note: z.string().nullable(),
});

export const Tally = z.object({
  points: z.number(),
  max: z.number(),
  applicableMax: z
    .number()
    .meta({ description: 'the maximum of the criteria that apply (not applicable ones left out)' }),
  scaled: z.number().nullable().meta({ description: 'the points out of 100 of the applicable maximum' }),
});

export const RuleSetOut = z.object({
  id: z.string(),
  name: z.string(),
  legalBasis: z.string(),
  effectiveFrom: isoDate,
  params: z.record(z.string(), z.unknown()),
});

const Brief = z.object({
  period: PeriodOut,
  total: Tally,
  criteria: z.array(
    z.object({
      id: z.string(),
      ratePercent: z.number().nullable(),
      points: z.number().nullable(),
      status: z.string(),
    }),
  ),
});

export const criterionExample = {
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

/** The indicator set of Quyết định 766/QĐ-TTg. */
export const IndicatorSet = z
  .object({
    ruleSet: RuleSetOut,
    period: PeriodOut,
    agencies: AgenciesOut,
    total: Tally,
    groups: z.array(Tally.extend({ id: z.string(), name: z.string(), criteria: z.array(CriterionOut) })),
    comparison: z.object({ previous: Brief, lastYear: Brief }).nullable(),
  })
  .meta({
    id: 'IndicatorSet',
    description:
      'The indicator set of Quyết định 766/QĐ-TTg: each criterion’s numerator, denominator, rate and points, group and total scores',
    examples: [
      {
        ruleSet: {
          id: 'QD766-2023',
          name: 'Bộ chỉ số … (Quyết định 766/QĐ-TTg)',
          legalBasis: 'Quyết định 766/QĐ-TTg ngày 23/6/2023',
          effectiveFrom: '2023-06-23',
          params: { progressPopulation: 'received_and_carried_over' },
        },
        period: {
          kind: 'quarter',
          basis: 'calendar',
          label: '2026-Q1',
          from: '2026-01-01',
          to: '2026-03-31',
        },
        agencies: { reportingAgency: '000.00.17.H55', agencyCodes: ['000.00.17.H55'], tree: 'code' },
        total: { points: 61.5, max: 98, applicableMax: 90, scaled: 68.33 },
        groups: [
          {
            id: 'online',
            name: 'Dịch vụ trực tuyến',
            points: 11.67,
            max: 12,
            applicableMax: 12,
            scaled: 97.22,
            criteria: [criterionExample],
          },
        ],
        comparison: null,
      },
    ],
  });
export type IndicatorSet = z.infer<typeof IndicatorSet>;
