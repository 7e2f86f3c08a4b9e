import {
  decodeInstantId,
  encodeInstantId,
  errorResponses,
  fileAnswer,
  listScope,
  PageQuery,
  problems,
  scopeOf,
  type ServiceApp,
} from '@tthc/service-kit';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireReportScope } from '../access';
import { issueReport, requestReport, reviseReport, type CommandContext } from '../commands/report.command';
import {
  findFile,
  findReport,
  listFiles,
  listReports,
  type ReportFileMeta,
  type ReportRow,
} from '../db/report.repository';
import { REPORT_STATUSES } from '../db/schema';
import type { AppDeps } from '../deps';
import { contentDisposition, fileNames } from '../domain/file-name';
import { FileFormat, formats } from '../formats';
import { KIND_NAMES } from '../kinds/registry';
import { CreateReport, Report, ReviseReport } from './report.schemas';

const toApi = (r: ReportRow, files: ReportFileMeta[]) => ({
  id: r.id,
  kind: r.kind,
  params: r.params as Record<string, unknown>,
  agencyCode: r.agency_code,
  period:
    r.period_label && r.period_from && r.period_to
      ? { label: r.period_label, from: r.period_from, to: r.period_to }
      : null,
  status: r.status,
  reason: r.error,
  seriesId: r.series_id,
  version: r.version,
  supersedes: r.supersedes,
  changeNote: r.change_note,
  changes: (r.changes as { where: string; before: unknown; after: unknown }[] | null) ?? null,
  inputs: (r.inputs ?? null) as Record<string, unknown> | null,
  dataCutAt: r.data_cut_at ? r.data_cut_at.toISOString() : null,
  issuedAt: r.issued_at ? r.issued_at.toISOString() : null,
  issuedBy: r.issued_by,
  files: files
    .filter((f) => f.report_id === r.id)
    .map((f) => ({
      format: f.format as FileFormat,
      contentType: f.content_type,
      fileName: f.file_name,
      sha256: f.sha256,
      size: f.size,
      href: `/v1/reports/${r.id}/files/${f.format}`,
    })),
  createdAt: r.created_at.toISOString(),
  finishedAt: r.finished_at ? r.finished_at.toISOString() : null,
});

const IdParams = z.object({ id: z.uuid() });

const extensionOf = (f: FileFormat) => (f === 'appendix-xlsx' ? 'xlsx' : formats[f].extension);

export function reportRoutes(app: ServiceApp, deps: AppDeps): void {
  const ctx = (request: FastifyRequest): CommandContext => ({
    db: deps.db,
    clock: deps.clock,
    scope: scopeOf(request.identity),
    actor: request.identity?.sub ?? 'unknown',
    requestId: request.id,
  });
  const read = async (id: string, request: FastifyRequest) => {
    const row = await findReport(deps.db, id);
    if (!row) throw problems.notFound('report', `report ${id} not found`);
    requireReportScope(scopeOf(request.identity), { id: row.id, agencyCode: row.agency_code });
    return row;
  };
  const withFiles = async (row: ReportRow) => toApi(row, await listFiles(deps.db, [row.id]));

  app.post(
    '/v1/reports',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader'], agencyScoped: true },
        operationId: 'requestReport',
        'x-idempotent': true,
        'x-location': '/v1/reports/{id}',
        tags: ['reports'],
        summary: 'Request a report; it is produced in the background (poll the Location)',
        description: `Kinds: ${KIND_NAMES.join(', ')}. The period must be over; narratives are plain text (markup refused).`,
        body: CreateReport,
        response: { 202: Report, ...errorResponses(403, 422) },
      },
    },
    async (request, reply) => {
      const { kind, params, formats: wanted } = request.body;
      const row = await requestReport(ctx(request), { kind, params, formats: wanted });
      deps.onEventsWritten();
      return reply.status(202).header('location', `/v1/reports/${row.id}`).send(toApi(row, []));
    },
  );

  app.post(
    '/v1/reports/:id/revisions',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader'], agencyScoped: true },
        operationId: 'reviseReport',
        'x-idempotent': true,
        'x-location': '/v1/reports/{id}',
        tags: ['reports'],
        summary: 'A new version of a report: the narrative edited before issue, or a correction after it',
        params: IdParams,
        body: ReviseReport,
        response: { 202: Report, ...errorResponses(403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const row = await reviseReport(ctx(request), request.params.id, request.body);
      deps.onEventsWritten();
      return reply.status(202).header('location', `/v1/reports/${row.id}`).send(toApi(row, []));
    },
  );

  app.post(
    '/v1/reports/:id/issue',
    {
      schema: {
        'x-access': { roles: ['leader'], agencyScoped: true },
        operationId: 'issueReport',
        tags: ['reports'],
        summary: 'Issue a finished report: its inputs, figures and files are frozen',
        params: IdParams,
        response: { 200: Report, ...errorResponses(403, 404, 409) },
      },
    },
    async (request) => withFiles(await issueReport(ctx(request), request.params.id)),
  );

  app.get(
    '/v1/reports/:id',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader'], agencyScoped: true },
        operationId: 'getReport',
        tags: ['reports'],
        summary: 'Progress of a report and, when done, its files',
        params: IdParams,
        response: { 200: Report, ...errorResponses(403, 404) },
      },
    },
    async (request) => withFiles(await read(request.params.id, request)),
  );

  app.get(
    '/v1/reports/:id/files/:format',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader'], agencyScoped: true },
        operationId: 'downloadReportFile',
        tags: ['reports'],
        summary: 'Download a rendered file (JSON, CSV, XLSX, DOCX or PDF), with its SHA-256',
        params: IdParams.extend({
          format: FileFormat.meta({
            description: 'a format the report was asked in, or `appendix-xlsx` for the detail appendix',
          }),
        }),
        'x-response-headers': {
          200: {
            ETag: {
              description: 'The file’s SHA-256, quoted',
              schema: { type: 'string', example: '"9f86d0…"' },
            },
            'X-Content-SHA256': {
              description: 'SHA-256 of the file (hex), to check a copy against',
              schema: {
                type: 'string',
                example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
              },
            },
          },
        },
        response: {
          200: fileAnswer(
            'The file in the format asked for (JSON, CSV, XLSX, DOCX or PDF); its SHA-256 in the X-Content-SHA256 header',
            [...new Set(Object.values(formats).map((f) => f.contentType.split(';')[0]!))],
            {
              examples: {
                'text/csv': '"STT","Chỉ tiêu","Giá trị"\r\n1,"Hồ sơ tiếp nhận",120\r\n',
                'application/json': { kind: 'dossier-statistics', period: '2026-Q1', rows: [] },
              },
            },
          ),
          ...errorResponses(403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const row = await read(request.params.id, request);
      if (row.status !== 'done')
        throw problems.conflict('report_not_done', `report ${row.id} is ${row.status}`, {
          reportStatus: row.status,
        });
      const file = await findFile(deps.db, row.id, request.params.format);
      if (!file) throw problems.notFound('file', `report ${row.id} has no ${request.params.format} file`);
      const names = fileNames(file.file_name.replace(/\.[a-z]+$/, ''), extensionOf(request.params.format));
      return (
        reply
          .type(file.content_type)
          .header('content-disposition', contentDisposition(names.utf8, names.ascii))
          .header('x-content-sha256', file.sha256)
          .header('etag', `"${file.sha256}"`)
          // Declared as a binary string for the spec; Fastify sends a Buffer as it is, unserialized.
          .send(file.content as unknown as string)
      );
    },
  );

  app.get(
    '/v1/reports',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader'], agencyScoped: true },
        operationId: 'listReports',
        tags: ['reports'],
        summary:
          'Reports, newest first, by kind, agency, period, status and issue (within your agency scope)',
        querystring: z.object({
          agencyCode: z.string().max(35).optional(),
          kind: z.string().max(50).optional(),
          period: z.string().max(25).optional().meta({ description: 'the period label, e.g. 2026-Q1' }),
          status: z.enum(REPORT_STATUSES).optional(),
          issued: z.enum(['true', 'false']).optional(),
          ...PageQuery,
        }),
        response: {
          200: z.object({ items: z.array(Report), nextCursor: z.string().nullable() }),
          ...errorResponses(403),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const scope = scopeOf(request.identity);
      // An agencyCode outside the scope was refused before (x-access agencyScoped).
      const rows = await listReports(
        deps.db,
        {
          visibleTo: listScope(scope),
          agencyCode: q.agencyCode,
          kind: q.kind,
          status: q.status,
          period: q.period,
          issued: q.issued === undefined ? undefined : q.issued === 'true',
        },
        { after: decodeInstantId(q.cursor), limit: q.limit },
      );
      const items = rows.slice(0, q.limit);
      const files = await listFiles(
        deps.db,
        items.map((r) => r.id),
      );
      const last = items[items.length - 1];
      return {
        items: items.map((r) => toApi(r, files)),
        nextCursor: rows.length > q.limit && last ? encodeInstantId(last.created_at, last.id) : null,
      };
    },
  );
}
