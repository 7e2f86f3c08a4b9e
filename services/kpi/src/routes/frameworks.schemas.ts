import { AgencyCode } from '@tthc/contracts';
import { z } from 'zod';
import {
  FrameworkCode,
  FrameworkNodeOut,
  NodeCode,
  Scoring,
  type FrameworkNode,
} from '../frameworks/framework';

export const modernisationExample: FrameworkNode = {
  code: '6',
  name: 'Hiện đại hóa hành chính',
  maxPoints: 16,
  children: [
    { code: '6.1', name: 'Ứng dụng công nghệ thông tin', maxPoints: 5.5, scoring: { kind: 'manual' } },
    {
      code: '6.2',
      name: 'Dịch vụ bưu chính công ích',
      maxPoints: 1.5,
      scoring: {
        kind: 'computed',
        indicator: 'criterion:online.dossiers_online',
        rule: {
          kind: 'thresholds',
          steps: [
            { atLeast: 30, points: 1.2 },
            { atLeast: 60, points: 1.5 },
          ],
        },
      },
    },
    {
      code: '6.3',
      name: 'Thanh toán trực tuyến',
      maxPoints: 9,
      scoring: {
        kind: 'computed',
        indicator: 'criterion:payment.dossiers_paid_online',
        rule: { kind: 'linear', upTo: 80 },
      },
    },
  ],
};

export const frameworkExample = {
  code: 'PAR-SYT',
  year: 2026,
  name: 'Bộ chỉ số cải cách hành chính cấp sở năm 2026',
  areas: [modernisationExample],
};

export const FrameworkOut = z
  .object({
    code: z.string(),
    year: z.number().int(),
    name: z.string(),
    areas: z.array(FrameworkNodeOut),
    version: z.number().int(),
    updatedBy: z.string(),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({
    id: 'Framework',
    examples: [
      { ...frameworkExample, version: 1, updatedBy: 'admin', updatedAt: '2026-01-05T02:00:00.000Z' },
    ],
  });

export const FrameworkList = z
  .object({
    items: z.array(
      z.object({ code: z.string(), year: z.number().int(), name: z.string(), version: z.number().int() }),
    ),
  })
  .meta({
    id: 'Frameworks',
    examples: [{ items: [{ code: 'PAR-SYT', year: 2026, name: frameworkExample.name, version: 1 }] }],
  });

export const FrameworkKey = z.object({
  code: FrameworkCode.meta({ description: 'the framework’s code, e.g. PAR-SYT' }),
  year: z.coerce.number().int().min(2000).max(2100).meta({ description: 'the year it scores' }),
});

const Text = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(1).max(max));

export const Evidence = z
  .object({
    documentNumber: Text(100).optional().meta({ example: '125/BC-SYT' }),
    link: z.url().max(1000).optional(),
    attachmentName: Text(300).optional().meta({ example: 'bao-cao-ung-dung-cntt-2026.pdf' }),
  })
  .refine(
    (e) => e.documentNumber || e.link || e.attachmentName,
    'name a document number, a link or an attachment',
  );

export const ScoreIn = z
  .object({
    agencyCode: AgencyCode,
    criterion: NodeCode,
    stage: z.enum(['self', 'appraisal']).meta({
      description: 'self: the agency’s self-assessment; appraisal: the appraising agency’s score, which wins',
    }),
    points: z.number().meta({ description: 'between 0 and the criterion’s maximum, two decimals at most' }),
    comment: Text(2000).nullable().default(null),
    evidence: z.array(Evidence).min(1).max(50),
  })
  .meta({
    id: 'ManualScoreIn',
    examples: [
      {
        agencyCode: '000.00.17.H55',
        criterion: '6.1',
        stage: 'self',
        points: 4,
        comment: 'Đã triển khai chữ ký số cho 100% lãnh đạo phòng',
        evidence: [{ documentNumber: '125/BC-SYT', attachmentName: 'bao-cao-cntt-2026.pdf' }],
      },
    ],
  });

const ManualOut = z.object({
  points: z.number(),
  comment: z.string().nullable(),
  evidence: z.unknown(),
  assessor: z.string(),
  assessorName: z.string().nullable(),
  enteredAt: z.string(),
});

export interface NodeResultShape {
  code: string;
  name: string;
  maxPoints: number;
  points: number | null;
  scored: boolean;
  scoring: unknown;
  value: number | null;
  selfAssessment: unknown;
  appraisal: unknown;
  source: 'computed' | 'appraisal' | 'self' | null;
  children: NodeResultShape[];
}

export const NodeResultOut: z.ZodType<NodeResultShape, NodeResultShape> = z
  .object({
    code: z.string(),
    name: z.string(),
    maxPoints: z.number(),
    points: z
      .number()
      .nullable()
      .meta({ description: 'two decimals at most; null: not scored yet (zero in the sums)' }),
    scored: z.boolean(),
    scoring: Scoring.nullable(),
    value: z
      .number()
      .nullable()
      .meta({ description: 'a computed criterion: its indicator’s rate in percent' }),
    selfAssessment: ManualOut.nullable(),
    appraisal: ManualOut.nullable(),
    source: z.enum(['computed', 'appraisal', 'self']).nullable(),
    get children() {
      return z.array(NodeResultOut);
    },
  })
  .meta({ id: 'FrameworkNodeResult' }) as unknown as z.ZodType<NodeResultShape, NodeResultShape>;

export const FrameworkResultOut = z
  .object({
    framework: z.object({
      code: z.string(),
      year: z.number().int(),
      name: z.string(),
      version: z.number().int(),
    }),
    agencyCode: z.string(),
    period: z
      .object({ from: z.string(), to: z.string() })
      .meta({ description: 'the figures’ period: the year, or up to today' }),
    total: z.number(),
    max: z.number(),
    complete: z.boolean().meta({ description: 'every criterion has a score' }),
    frozen: z
      .boolean()
      .meta({ description: 'published: stored as it was, no later fact or score changes it' }),
    publishedAt: z.string().nullable(),
    publishedBy: z.string().nullable(),
    areas: z.array(NodeResultOut),
  })
  .meta({
    id: 'FrameworkResult',
    examples: [
      {
        framework: { code: 'PAR-SYT', year: 2026, name: frameworkExample.name, version: 1 },
        agencyCode: '000.00.17.H55',
        period: { from: '2026-01-01', to: '2026-12-31' },
        total: 14.1,
        max: 16,
        complete: true,
        frozen: false,
        publishedAt: null,
        publishedBy: null,
        areas: [
          {
            code: '6',
            name: 'Hiện đại hóa hành chính',
            maxPoints: 16,
            points: 14.1,
            scored: true,
            scoring: null,
            value: null,
            selfAssessment: null,
            appraisal: null,
            source: null,
            children: [
              {
                code: '6.1',
                name: 'Ứng dụng công nghệ thông tin',
                maxPoints: 5.5,
                points: 4,
                scored: true,
                scoring: { kind: 'manual' },
                value: null,
                selfAssessment: {
                  points: 4.5,
                  comment: null,
                  evidence: [{ documentNumber: '125/BC-SYT' }],
                  assessor: 'canbo.syt',
                  assessorName: 'Nguyễn Thị Mai',
                  enteredAt: '2026-12-01T02:00:00.000Z',
                },
                appraisal: {
                  points: 4,
                  comment: 'Chưa đủ minh chứng chữ ký số',
                  evidence: [{ documentNumber: '30/TĐ-SNV' }],
                  assessor: 'thamdinh.snv',
                  assessorName: 'Lê Văn Hùng',
                  enteredAt: '2026-12-10T02:00:00.000Z',
                },
                source: 'appraisal',
                children: [],
              },
            ],
          },
        ],
      },
    ],
  });

export const ResultParams = FrameworkKey.extend({ agencyCode: AgencyCode });
