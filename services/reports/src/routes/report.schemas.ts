import { z } from 'zod';
import { REPORT_STATUSES } from '../db/schema';
import { FileFormat, FORMATS, ReportFormat } from '../formats';
import { reportKinds } from '../kinds/registry';
import { ReformNarrative } from '../kinds/narrative';

const formatsField = z
  .array(ReportFormat)
  .min(1)
  .max(FORMATS.length)
  .default([...FORMATS])
  .meta({ description: 'the files to render (default: all)' });

/** One body per kind of the registry, told apart by `kind` (an unknown kind is a 400 naming /kind). */
export const CreateReport = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('dossier-statistics'),
      params: reportKinds['dossier-statistics'].params,
      formats: formatsField,
    }),
    z.object({
      kind: z.literal('procedure-statistics'),
      params: reportKinds['procedure-statistics'].params,
      formats: formatsField,
    }),
    z.object({
      kind: z.literal('reform-report'),
      params: reportKinds['reform-report'].params,
      formats: formatsField,
    }),
    z.object({
      kind: z.literal('scorecard'),
      params: reportKinds['scorecard'].params,
      formats: formatsField,
    }),
  ])
  .meta({
    id: 'CreateReport',
    examples: [
      {
        kind: 'reform-report',
        params: {
          agencyCode: '000.00.17.H55',
          period: '2026-Q1',
          basis: 'calendar',
          narrative: {
            direction: {
              text: 'Ủy ban nhân dân tỉnh chỉ đạo rà soát quy trình nội bộ giải quyết thủ tục hành chính.',
              communication: 'Đăng tải 12 tin bài về cải cách hành chính trên Cổng thông tin điện tử của Sở.',
            },
            assessment: 'Công tác cải cách hành chính quý I được triển khai đúng kế hoạch.',
          },
        },
        formats: ['xlsx', 'docx', 'pdf'],
      },
      {
        kind: 'scorecard',
        params: { agencyCode: '000.00.17.H55', period: '2026-H1', framework: 'PAR-SYT' },
        formats: ['xlsx', 'docx'],
      },
    ],
  });

export const ReviseReport = z
  .object({
    narrative: ReformNarrative.optional().meta({ description: 'the narrative, replaced as a whole' }),
    note: z
      .string()
      .min(1)
      .max(2000)
      .transform((s) => s.normalize('NFC'))
      .meta({ description: 'why this version: what the officer changed or corrected' }),
  })
  .meta({
    id: 'ReviseReport',
    examples: [
      { note: 'Bổ sung phần đánh giá chung', narrative: { assessment: 'Hoàn thành 100% kế hoạch.' } },
    ],
  });

export const ReportFileOut = z.object({
  format: FileFormat,
  contentType: z.string(),
  fileName: z.string(),
  sha256: z.string().meta({ description: 'SHA-256 of the file, hex' }),
  size: z.number().int(),
  href: z.string(),
});

export const Report = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    params: z.record(z.string(), z.unknown()),
    agencyCode: z.string().nullable(),
    period: z.object({ label: z.string(), from: z.iso.date(), to: z.iso.date() }).nullable(),
    status: z.enum(REPORT_STATUSES),
    reason: z.string().nullable().meta({ description: 'why a report failed' }),
    seriesId: z.uuid(),
    version: z.number().int(),
    supersedes: z.uuid().nullable(),
    changeNote: z.string().nullable(),
    changes: z
      .array(z.object({ where: z.string(), before: z.unknown(), after: z.unknown() }))
      .nullable()
      .meta({ description: 'what this version changed against the one it supersedes' }),
    inputs: z
      .record(z.string(), z.unknown())
      .nullable()
      .meta({ description: 'frozen inputs: period, scope, rule sets, data cut' }),
    dataCutAt: z.iso.datetime({ offset: true }).nullable(),
    issuedAt: z.iso.datetime({ offset: true }).nullable(),
    issuedBy: z.string().nullable(),
    files: z.array(ReportFileOut),
    createdAt: z.iso.datetime({ offset: true }),
    finishedAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({
    id: 'Report',
    examples: [
      {
        id: '9a3e1f57-3c2b-4a7e-8d6f-1b2c3d4e5f60',
        kind: 'reform-report',
        params: { agencyCode: '000.00.17.H55', period: '2026-Q1', basis: 'calendar' },
        agencyCode: '000.00.17.H55',
        period: { label: '2026-Q1', from: '2026-01-01', to: '2026-03-31' },
        status: 'done',
        reason: null,
        seriesId: '9a3e1f57-3c2b-4a7e-8d6f-1b2c3d4e5f60',
        version: 1,
        supersedes: null,
        changeNote: null,
        changes: null,
        inputs: { dataCutAt: '2026-04-02T03:00:00.000Z' },
        dataCutAt: '2026-04-02T03:00:00.000Z',
        issuedAt: null,
        issuedBy: null,
        files: [
          {
            format: 'pdf',
            contentType: 'application/pdf',
            fileName:
              'Báo cáo công tác cải cách hành chính quý 1 năm 2026 - 2026-Q1 - 000.00.17.H55 - v1.pdf',
            sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
            size: 48213,
            href: '/v1/reports/9a3e1f57-3c2b-4a7e-8d6f-1b2c3d4e5f60/files/pdf',
          },
        ],
        createdAt: '2026-04-02T03:00:00.000Z',
        finishedAt: '2026-04-02T03:00:02.000Z',
      },
    ],
  });
