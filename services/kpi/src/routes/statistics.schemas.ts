import { z } from 'zod';

export const PeriodOut = z.object({
  kind: z.enum(['month', 'quarter', 'half', 'year', 'custom']),
  basis: z.enum(['calendar', 'statutory']),
  label: z.string(),
  from: z.iso.date(),
  to: z.iso.date(),
});

export const AgenciesOut = z.object({
  reportingAgency: z.string().nullable(),
  agencyCodes: z.array(z.string()).nullable().meta({ description: 'the deciding agencies counted; null: the whole province' }),
  tree: z.enum(['explicit', 'identity', 'code', 'single', 'province']).meta({ description: 'how the sub-agencies were decided' }),
});

const n = z.number().int().nonnegative();
export const TableFiguresOut = z.object({
  received: n,
  receivedOnline: n,
  receivedDirectPostal: n,
  carriedOver: n,
  resolved: n,
  resolvedEarly: n,
  resolvedOnTime: n,
  resolvedLate: n,
  inProgress: n,
  inProgressWithinTime: n,
  inProgressOverdue: n,
});

export const TableRowOut = z.object({
  id: z.string().meta({ description: 'names the row in a drill-down' }),
  kind: z.enum(['total', 'level', 'field', 'procedure']),
  authorityLevel: z.string().nullable(),
  fieldCode: z.string().nullable(),
  procedureCode: z.string().nullable(),
  label: z.string(),
  figures: TableFiguresOut,
});

const example = {
  form: 'Biểu 06 (Thông tư 01/2020/TT-VPCP)',
  period: { kind: 'quarter', basis: 'calendar', label: '2026-Q1', from: '2026-01-01', to: '2026-03-31' },
  agencies: { reportingAgency: '000.00.17.H55', agencyCodes: ['000.00.17.H55', '000.01.17.H55'], tree: 'code' },
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
    figures: { received: 12, receivedOnline: 7, receivedDirectPostal: 3, carriedOver: 2, resolved: 9, resolvedEarly: 5, resolvedOnTime: 3, resolvedLate: 1, inProgress: 3, inProgressWithinTime: 2, inProgressOverdue: 1 },
  },
  rows: [
    {
      id: 'level:province',
      kind: 'level',
      authorityLevel: 'province',
      fieldCode: null,
      procedureCode: null,
      label: 'Cấp tỉnh',
      figures: { received: 12, receivedOnline: 7, receivedDirectPostal: 3, carriedOver: 2, resolved: 9, resolvedEarly: 5, resolvedOnTime: 3, resolvedLate: 1, inProgress: 3, inProgressWithinTime: 2, inProgressOverdue: 1 },
    },
    {
      id: 'field:province:DUOC_PHAM',
      kind: 'field',
      authorityLevel: 'province',
      fieldCode: 'DUOC_PHAM',
      procedureCode: null,
      label: 'DUOC_PHAM',
      figures: { received: 12, receivedOnline: 7, receivedDirectPostal: 3, carriedOver: 2, resolved: 9, resolvedEarly: 5, resolvedOnTime: 3, resolvedLate: 1, inProgress: 3, inProgressWithinTime: 2, inProgressOverdue: 1 },
    },
  ],
  comparison: null,
};

export const StatisticsTable = z
  .object({
    form: z.string(),
    period: PeriodOut,
    agencies: AgenciesOut,
    fieldCode: z.string().nullable(),
    procedureCode: z.string().nullable(),
    byProcedure: z.boolean(),
    columns: z.array(z.object({ key: z.string(), number: z.number().int(), group: z.string(), label: z.string() })),
    total: TableRowOut,
    rows: z.array(TableRowOut),
    comparison: z
      .object({
        previous: z.object({ period: PeriodOut, total: TableRowOut }),
        lastYear: z.object({ period: PeriodOut, total: TableRowOut }),
      })
      .nullable()
      .meta({ description: 'with compare=true: the totals of the previous period and of the same period a year before' }),
  })
  .meta({ id: 'StatisticsTable', description: 'Biểu 06: dossiers received, resolved and in progress, by authority level and field', examples: [example] });

export const StatisticsCell = z
  .object({
    period: PeriodOut,
    agencies: AgenciesOut,
    row: z.string(),
    column: z.string(),
    value: z.number().int().nonnegative().meta({ description: 'the number in the cell' }),
    items: z.array(
      z.object({
        code: z.string(),
        kind: z.enum(['dossier', 'procedure', 'feedback']),
        fact: z.string().meta({ description: 'what put it in the cell, with its dates' }),
        detail: z.record(z.string(), z.unknown()),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({
    id: 'StatisticsCell',
    examples: [
      {
        period: { kind: 'quarter', basis: 'calendar', label: '2026-Q1', from: '2026-01-01', to: '2026-03-31' },
        agencies: { reportingAgency: '000.00.17.H55', agencyCodes: ['000.00.17.H55'], tree: 'code' },
        row: 'total',
        column: 'resolvedLate',
        value: 1,
        items: [
          {
            code: '000.20.17.H55-260203-0002',
            kind: 'dossier',
            fact: 'resolved 2026-03-02, due 2026-02-24 (legal): late',
            detail: { dossierId: '4b3c1f0e-2a9d-4c8e-9f7a-6d5e4c3b2a10', endKind: 'resolved', legalOutcome: 'late' },
          },
        ],
        nextCursor: null,
      },
    ],
  });
