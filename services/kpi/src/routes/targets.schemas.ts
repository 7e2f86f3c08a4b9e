import { AgencyCode } from '@tthc/contracts';
import { z } from 'zod';
import { Comparator } from '../targets/target';

const Text = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(1).max(max));

export const TargetIn = z
  .object({
    agencyCode: AgencyCode,
    year: z.number().int().min(2000).max(2100),
    indicator: z.string().min(1).max(120).meta({
      description:
        'criterion:<id> or figure:<id> of the indicator engine (GET /v1/kpi/target-indicators), or framework:<CODE>/<node> of a framework of the same year',
    }),
    comparator: Comparator,
    value: z.number().meta({
      description: 'percent for rates (60 = 60%), points or a count otherwise; two decimals at most',
    }),
    note: Text(500).nullable().default(null),
  })
  .meta({
    id: 'TargetIn',
    examples: [
      {
        agencyCode: '000.00.17.H55',
        year: 2026,
        indicator: 'criterion:online.dossiers_online',
        comparator: 'at_least',
        value: 60,
        note: 'Kế hoạch 45/KH-UBND: hồ sơ trực tuyến tối thiểu 60%',
      },
    ],
  });

const targetExample = {
  id: '5b8f3f5e-2d7c-4f59-9a43-2f6a1c1f0f11',
  agencyCode: '000.00.17.H55',
  year: 2026,
  indicator: 'criterion:online.dossiers_online',
  comparator: 'at_least',
  value: 60,
  note: null,
  updatedBy: 'lanhdao.syt',
  updatedAt: '2026-01-05T02:00:00.000Z',
};

export const TargetOut = z
  .object({
    id: z.uuid(),
    agencyCode: z.string(),
    year: z.number().int(),
    indicator: z.string(),
    comparator: Comparator,
    value: z.number().meta({ description: 'two decimals at most' }),
    note: z.string().nullable(),
    updatedBy: z.string(),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'Target', examples: [targetExample] });

export const TargetList = z
  .object({ items: z.array(TargetOut) })
  .meta({ id: 'Targets', examples: [{ items: [targetExample] }] });

export const TargetImportOut = z
  .object({ imported: z.number().int(), items: z.array(TargetOut) })
  .meta({ id: 'TargetImport', examples: [{ imported: 1, items: [targetExample] }] });

export const IndicatorInfoOut = z.object({
  id: z.string(),
  kind: z.enum(['criterion', 'figure', 'framework']),
  name: z.string(),
  unit: z.enum(['percent', 'dossiers', 'points']),
});
export const IndicatorCatalogue = z.object({ items: z.array(IndicatorInfoOut) }).meta({
  id: 'TargetIndicators',
  examples: [
    {
      items: [
        {
          id: 'criterion:online.dossiers_online',
          kind: 'criterion',
          name: 'Hồ sơ nộp trực tuyến',
          unit: 'percent',
        },
        {
          id: 'figure:resolved_early',
          kind: 'figure',
          name: 'Tỷ lệ hồ sơ giải quyết trước hạn',
          unit: 'percent',
        },
        { id: 'framework:PAR-SYT/6', kind: 'framework', name: 'Hiện đại hóa hành chính', unit: 'points' },
      ],
    },
  ],
});

const Line = z.object({
  targetId: z.uuid(),
  indicator: z.string(),
  name: z.string(),
  unit: z.enum(['percent', 'dossiers', 'points']),
  comparator: Comparator,
  target: z.number(),
  actual: z
    .number()
    .nullable()
    .meta({ description: 'over the period, rounded to two decimals; null: nothing to count' }),
  met: z.boolean().nullable().meta({ description: 'compared exactly; null: nothing to count' }),
  gap: z.number().nullable().meta({ description: 'actual − target' }),
  trend: z
    .array(z.object({ month: z.string(), actual: z.number().nullable(), met: z.boolean().nullable() }))
    .meta({ description: 'each month of the year up to the period’s end (framework nodes: yearly only)' }),
});

const AgencyCard = z.object({
  agencyCode: z.string(),
  agencies: z.array(z.string()).meta({ description: 'the agencies counted: the agency and those below it' }),
  summary: z.object({
    targets: z.number().int(),
    met: z.number().int(),
    notMet: z.number().int(),
    noData: z.number().int(),
  }),
  lines: z.array(Line),
});

const lineExample = {
  targetId: '5b8f3f5e-2d7c-4f59-9a43-2f6a1c1f0f11',
  indicator: 'criterion:online.dossiers_online',
  name: 'Hồ sơ nộp trực tuyến',
  unit: 'percent',
  comparator: 'at_least',
  target: 60,
  actual: 66.67,
  met: true,
  gap: 6.67,
  trend: [
    { month: '2026-01', actual: 50, met: false },
    { month: '2026-02', actual: 75, met: true },
  ],
};

export const Scorecard = AgencyCard.extend({
  agencyCode: z.string().nullable().meta({
    description: 'null: a province-wide reader naming no agency (subAgencies: every agency with targets)',
  }),
  period: z.object({
    kind: z.string(),
    basis: z.string(),
    label: z.string(),
    from: z.string(),
    to: z.string(),
  }),
  year: z.number().int(),
  subAgencies: z
    .array(AgencyCard)
    .meta({ description: 'with subAgencies=true: the agencies below that have targets' }),
}).meta({
  id: 'Scorecard',
  examples: [
    {
      period: { kind: 'quarter', basis: 'calendar', label: '2026-Q1', from: '2026-01-01', to: '2026-03-31' },
      year: 2026,
      agencyCode: '000.00.17.H55',
      agencies: ['000.00.17.H55', '000.01.17.H55'],
      summary: { targets: 1, met: 1, notMet: 0, noData: 0 },
      lines: [lineExample],
      subAgencies: [],
    },
  ],
});

export const AuditOut = z
  .object({
    items: z.array(
      z.object({
        id: z.number().int(),
        at: z.iso.datetime({ offset: true }),
        actor: z.string(),
        actorName: z.string().nullable(),
        entity: z.string(),
        entityId: z.string(),
        agencyCode: z.string().nullable(),
        action: z.string(),
        before: z.unknown(),
        after: z.unknown(),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({
    id: 'ReformAudit',
    examples: [
      {
        items: [
          {
            id: 12,
            at: '2026-01-05T02:00:00.000Z',
            actor: 'lanhdao.syt',
            actorName: 'Trần Văn Bình',
            entity: 'target',
            entityId: '5b8f3f5e-2d7c-4f59-9a43-2f6a1c1f0f11',
            agencyCode: '000.00.17.H55',
            action: 'changed',
            before: { value: 55 },
            after: { value: 60 },
          },
        ],
        nextCursor: null,
      },
    ],
  });
