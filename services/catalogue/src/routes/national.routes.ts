import {
  errorResponses,
  HttpProblem,
  problems,
  rejectedReport,
  PROBLEM_CONTENT_TYPE,
  type ServiceApp,
} from '@tthc/service-kit';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { importNationalRecords, packageRecords, type NationalImportReport } from '../national/import';
import { NationalMapping, DEFAULT_NATIONAL_MAPPING } from '../national/mapping';
import { currentMapping, replaceMapping } from '../db/national.repository';
import { listPullRuns } from '../national/pull';
import { commandContext } from './context';

const TAG = 'national-catalogue';

const RECORD_EXAMPLE = {
  MaTTHC: '1.004579',
  TenTTHC: 'Cấp Chứng chỉ hành nghề dược theo hình thức xét hồ sơ',
  LinhVuc: [{ MaLinhVuc: 'G09-YT02', TenLinhVuc: 'Dược phẩm' }],
  CapThucHien: [{ MaCap: '1' }],
  CoQuanCongBo: [{ MaCoQuan: 'G09', TenCoQuan: 'Bộ Y tế' }],
  CoQuanThucHien: [{ MaCoQuan: '000.00.17.H55', TenCoQuan: 'Sở Y tế' }],
  CoQuanCoThamQuyen: [{ MaCoQuan: '000.00.17.H55', TenCoQuan: 'Sở Y tế' }],
  DoiTuongThucHien: [{ MaDoiTuong: '1' }],
  TrinhTuThucHien: [
    { TruongHop: null, TrinhTu: ['Bước 1: Nộp hồ sơ', 'Bước 2: Thẩm định', 'Bước 3: Trả kết quả'] },
  ],
  CachThucThucHien: [
    {
      MaKenh: '1',
      ThoiGian: [
        {
          ThoiGianGiaiQuyet: 20,
          DonViTinh: 'Ngày làm việc',
          MoTa: null,
          PhiLePhi: [{ MoTa: 'Phí thẩm định', SoTien: 500000 }],
        },
      ],
    },
    {
      MaKenh: '2',
      ThoiGian: [
        {
          ThoiGianGiaiQuyet: 20,
          DonViTinh: 'Ngày làm việc',
          MoTa: null,
          PhiLePhi: [{ MoTa: 'Phí thẩm định', SoTien: 500000 }],
        },
      ],
    },
  ],
  ThanhPhanHoSo: [
    {
      TruongHop: null,
      GiayTo: [
        {
          TenGiayTo: 'Đơn đề nghị (Mẫu số 02)',
          SoBanChinh: 1,
          SoBanSao: 0,
          MauDon: [{ TenMauDon: 'Mẫu số 02' }],
        },
      ],
    },
  ],
  YeuCauDieuKien: ['Có văn bằng chuyên môn phù hợp'],
  KetQuaThucHien: [{ TenKetQua: 'Chứng chỉ hành nghề dược', KetQuaDienTu: false }],
  CanCuPhapLy: [
    {
      SoVanBan: '105/2016/QH13',
      TrichYeu: 'Luật Dược',
      NgayBanHanh: '06/04/2016',
      NgayHieuLuc: '01/01/2017',
    },
  ],
  TTHCLienQuan: [{ MaTTHC: '1.004580' }],
  MucDoDVC: 'TOAN_TRINH',
  MucDoCu: 4,
  ThanhToanTrucTuyen: true,
  QuyetDinhCongBo: {
    SoQuyetDinh: '1234/QĐ-BYT',
    NgayBanHanh: '10/01/2026',
    NgayHieuLuc: '15/01/2026',
    NgayCongKhai: '14/01/2026',
  },
  TinhTrang: '1',
};

const NationalPackage = z
  .union([z.array(z.record(z.string(), z.unknown())).max(10_000), z.record(z.string(), z.unknown())])
  .meta({
    id: 'NationalPackage',
    description:
      'Records of the national procedure database as it hands them out: a list of records, one record, or a list answer with the records under the name the mapping gives (`data` by default). Property names and codes are read through the mapping (GET /v1/national-catalogue/mapping).',
    examples: [{ data: [RECORD_EXAMPLE] }],
  });

const Issue = z.object({
  path: z.string().meta({
    description: "where in the national record, in the record's own names (`CachThucThucHien[0].MaKenh`)",
  }),
  reason: z.string(),
});
const Action = z.enum(['create', 'publish', 'amend', 'update', 'abolish', 'unchanged', 'refused']);
const Counts = z.object(
  Object.fromEntries(Action.options.map((a) => [a, z.number().int()])) as Record<
    z.infer<typeof Action>,
    z.ZodNumber
  >,
);

export const NationalImportReportSchema = z
  .object({
    dryRun: z.boolean(),
    applied: z.boolean(),
    mappingVersion: z.number().int(),
    format: z.string(),
    counts: Counts,
    records: z.array(
      z.object({
        index: z.number().int(),
        code: z.string().nullable(),
        name: z.string().nullable(),
        actions: z.array(Action),
        changes: z.array(
          z.object({
            path: z.string(),
            change: z.enum(['added', 'removed', 'changed']),
            before: z.unknown(),
            after: z.unknown(),
          }),
        ),
        decisionNumber: z.string().nullable(),
        issues: z.array(Issue),
      }),
    ),
  })
  .meta({
    id: 'NationalImportReport',
    examples: [
      {
        dryRun: true,
        applied: false,
        mappingVersion: 1,
        format: 'CSDLQG TTHC 2024',
        counts: { create: 0, publish: 0, amend: 1, update: 0, abolish: 0, unchanged: 0, refused: 0 },
        records: [
          {
            index: 0,
            code: '1.004579',
            name: 'Cấp Chứng chỉ hành nghề dược theo hình thức xét hồ sơ',
            actions: ['amend'],
            changes: [{ path: 'methods.0.processingTime.value', change: 'changed', before: 20, after: 15 }],
            decisionNumber: '1234/QĐ-BYT',
            issues: [],
          },
        ],
      },
    ],
  });

/** A refused package as problem+json: every record with its issues. */
const NationalImportRejected = rejectedReport(
  NationalImportReportSchema.extend({
    errors: z.array(
      z.object({
        index: z.number().int(),
        code: z.string().nullable(),
        path: z.string(),
        reason: z.string(),
      }),
    ),
  }),
  'NationalImportRejected',
);

const MAPPING_DOC = NationalMapping.meta({
  id: 'NationalMapping',
  description:
    "How national records read: property names, the meaning of their codes, national field and agency codes to the catalogue's, and where imported procedures are received.",
  examples: [DEFAULT_NATIONAL_MAPPING],
});

const StoredMappingSchema = z
  .object({
    version: z.number().int(),
    document: NationalMapping,
    createdBy: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({
    id: 'StoredNationalMapping',
    examples: [
      {
        version: 1,
        document: DEFAULT_NATIONAL_MAPPING,
        createdBy: 'seed',
        createdAt: '2026-12-01T00:00:00.000Z',
      },
    ],
  });

const PullRunSchema = z.object({
  id: z.uuid(),
  trigger: z.enum(['schedule', 'operator']),
  attempt: z.number().int(),
  url: z.string(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  outcome: z.enum(['running', 'not_modified', 'applied', 'partial', 'failed']),
  httpStatus: z.number().int().nullable(),
  mappingVersion: z.number().int(),
  counts: z.record(z.string(), z.number().int()),
  refused: z.array(
    z.object({ index: z.number().int(), code: z.string().nullable(), issues: z.array(Issue) }),
  ),
  error: z.string().nullable(),
  requestedBy: z.string(),
});

const PULL_EXAMPLE = {
  id: '0b7f2f64-5a43-4d38-9a51-3c9a1b0e2a11',
  trigger: 'schedule',
  attempt: 1,
  url: 'https://csdl.example.gov.vn/tthc/H55',
  startedAt: '2026-12-01T18:30:00.000Z',
  finishedAt: '2026-12-01T18:30:04.000Z',
  outcome: 'partial',
  httpStatus: 200,
  mappingVersion: 1,
  counts: { create: 2, publish: 2, amend: 1, update: 0, abolish: 0, unchanged: 120, refused: 1 },
  refused: [
    {
      index: 7,
      code: '1.001234',
      issues: [
        { path: 'LinhVuc[0].MaLinhVuc', reason: 'unknown field "G09-YT99": add it to the mapping\'s fields' },
      ],
    },
  ],
  error: null,
  requestedBy: 'schedule',
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function rejectedProblem(report: NationalImportReport) {
  const errors = report.records.flatMap((r) => r.issues.map((i) => ({ index: r.index, code: r.code, ...i })));
  return { ...report, errors };
}

/**
 * The import from the national procedure database (CSDLQG về TTHC): the mapping that reads its
 * records, a preview of what a package would change, the upload of a package (for a province
 * without a connection), and the scheduled pull's runs. Administrators only.
 */
export function nationalRoutes(app: ServiceApp, deps: AppDeps): void {
  const readPackage = async (body: unknown) => {
    const mapping = await currentMapping(deps.db);
    const records = packageRecords(body, mapping.document);
    if (!records)
      throw problems.badRequest(
        'national_package_unreadable',
        'the body holds no national procedure records',
        [
          {
            in: 'body',
            pointer: `/${mapping.document.names.records ?? ''}`,
            detail: 'a list of records is expected here',
          },
        ],
      );
    return { mapping, records };
  };

  app.get(
    '/v1/national-catalogue/mapping',
    {
      schema: {
        operationId: 'getNationalMapping',
        tags: [TAG],
        summary: 'The mapping in force that reads national procedure records',
        response: { 200: StoredMappingSchema, ...errorResponses() },
      },
    },
    async () => {
      const m = await currentMapping(deps.db);
      return { ...m, createdAt: m.createdAt.toISOString() };
    },
  );

  app.put(
    '/v1/national-catalogue/mapping',
    {
      schema: {
        operationId: 'replaceNationalMapping',
        tags: [TAG],
        summary: 'Replace the mapping (a new version; the old ones are kept with the pulls that used them)',
        body: MAPPING_DOC,
        response: { 200: StoredMappingSchema, ...errorResponses(422) },
      },
    },
    async (request) => {
      const m = await replaceMapping(deps.db, request.body, request.identity?.sub ?? 'unknown');
      return { ...m, createdAt: m.createdAt.toISOString() };
    },
  );

  app.post(
    '/v1/national-catalogue/preview',
    {
      bodyLimit: 64 * 1024 * 1024,
      schema: {
        operationId: 'previewNationalPackage',
        tags: [TAG],
        summary:
          'What a national package would change: per record the actions, the differences from the current version and every issue; nothing is written',
        body: NationalPackage,
        response: { 200: NationalImportReportSchema, ...errorResponses(413) },
      },
    },
    async (request) => {
      const { mapping, records } = await readPackage(request.body);
      return importNationalRecords(commandContext(deps, request), records, {
        dryRun: true,
        allOrNothing: true,
        mapping,
      });
    },
  );

  app.post(
    '/v1/national-catalogue/import',
    {
      bodyLimit: 64 * 1024 * 1024,
      schema: {
        operationId: 'importNationalPackage',
        'x-idempotent': true,
        tags: [TAG],
        summary:
          'Import a national package (the file downloaded from the national database): all records or none',
        body: NationalPackage,
        response: { 200: NationalImportReportSchema, ...errorResponses(413), 422: NationalImportRejected },
      },
    },
    async (request, reply) => {
      const { mapping, records } = await readPackage(request.body);
      const report = await importNationalRecords(commandContext(deps, request), records, {
        dryRun: false,
        allOrNothing: true,
        mapping,
      });
      if (report.counts.refused > 0) {
        const body = rejectedProblem(report);
        const problem = new HttpProblem(422, 'national_package_rejected', 'Không thể xử lý yêu cầu', '');
        return reply
          .status(422)
          .type(PROBLEM_CONTENT_TYPE)
          .send({
            ...body,
            errors: body.errors.slice(0, 1000),
            errorCount: body.errors.length,
            type: problem.type,
            title: problem.title,
            status: 422,
            code: 'national_package_rejected',
            detail: `${report.counts.refused} record(s) refused; nothing was imported`,
            instance: request.url.split('?')[0] ?? request.url,
            requestId: String(request.id),
          });
      }
      if (report.applied) deps.onEventsWritten();
      return report;
    },
  );

  app.post(
    '/v1/national-catalogue/pulls',
    {
      schema: {
        operationId: 'requestNationalPull',
        'x-idempotent': true,
        tags: [TAG],
        summary: 'Pull the configured national source now (queued; its runs are listed by GET)',
        response: {
          202: z.object({ jobId: z.string(), runs: z.string() }).meta({
            id: 'NationalPullRequested',
            examples: [{ jobId: '42', runs: '/v1/national-catalogue/pulls' }],
          }),
          ...errorResponses(409),
        },
      },
    },
    async (request, reply) => {
      const queued = deps.nationalPull
        ? await deps.nationalPull.requestPull(request.identity?.sub ?? 'unknown')
        : null;
      if (!queued)
        throw problems.conflict(
          'national_source_not_configured',
          'no national source is configured (NATIONAL_CATALOGUE_URL)',
        );
      return reply
        .status(202)
        .header('location', '/v1/national-catalogue/pulls')
        .send({ jobId: queued.jobId, runs: '/v1/national-catalogue/pulls' });
    },
  );

  app.get(
    '/v1/national-catalogue/pulls',
    {
      schema: {
        operationId: 'listNationalPulls',
        tags: [TAG],
        summary:
          'The pulls of the national source, newest first: outcome, what was applied, what was refused and why',
        querystring: z.object({
          limit: z.coerce
            .number()
            .int()
            .min(1)
            .max(200)
            .default(50)
            .meta({ description: 'how many runs, newest first' }),
        }),
        response: {
          200: z
            .object({ items: z.array(PullRunSchema) })
            .meta({ id: 'NationalPullList', examples: [{ items: [PULL_EXAMPLE] }] }),
          ...errorResponses(),
        },
      },
    },
    async (request) => {
      const runs = await listPullRuns(deps.db, request.query.limit);
      return {
        items: runs.map((r) => ({
          ...r,
          startedAt: r.startedAt.toISOString(),
          finishedAt: iso(r.finishedAt),
        })),
      };
    },
  );
}
