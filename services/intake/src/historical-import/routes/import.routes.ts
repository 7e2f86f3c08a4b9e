import { parse } from 'csv-parse/sync';
import {
  errorResponses,
  fileUpload,
  problems,
  rejectedReport,
  sendReportProblem,
  type ServiceApp,
  ADMIN_ONLY,
} from '@tthc/service-kit';
import { z } from 'zod';
import { importHistorical } from '../commands/historical-import.command';
import { intakeContext, type ContextDeps } from '../../commands/context';
import { csvRowToImported } from '../domain/historical-csv';
import { ImportedDossier } from '../domain/historical-import';

const Report = z
  .object({
    dryRun: z.boolean(),
    applied: z.boolean(),
    imported: z.number().int(),
    unchanged: z.number().int(),
    errors: z.array(z.object({ row: z.number().int(), column: z.string(), reason: z.string() })),
    notes: z.array(z.object({ row: z.number().int(), column: z.string(), note: z.string() })),
  })
  .meta({
    id: 'HistoricalImportReport',
    examples: [
      {
        dryRun: true,
        applied: false,
        imported: 0,
        unchanged: 0,
        errors: [{ row: 3, column: 'history.2.status', reason: 'no transition from received to returned' }],
        notes: [
          {
            row: 4,
            column: 'dueAt',
            note: 'the due date at receipt was computed from procedure 1.004579 version 1 and the rule set in force on 2026-03-02',
          },
        ],
      },
    ],
  });

const Rejected = rejectedReport(Report, 'HistoricalImportRejected');

const SourceSystem = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{2,50}$/, 'source system: 2-50 characters of letters, digits, _ . -');
const MAX_BYTES = 50 * 1024 * 1024;

/**
 * The JSON file of an import. Rows are read one by one after the file is accepted, so that each
 * error names its row; the document declares them as ImportedDossier.
 */
const ImportFile = z.object({ sourceSystem: SourceSystem, dossiers: z.array(z.unknown()).max(100_000) });
export const HistoricalImportFile = z
  .object({ sourceSystem: SourceSystem, dossiers: z.array(ImportedDossier).max(100_000) })
  .meta({
    id: 'HistoricalImportFile',
    examples: [
      {
        sourceSystem: 'motcua-cu',
        dossiers: [
          {
            sourceId: '9',
            code: '000.20.17.H55-260302-0009',
            procedureCode: '1.004579',
            channel: 'direct',
            applicant: { kind: 'person', fullName: 'Lê Thị Mai', phone: '0912000999' },
            receivedAt: '2026-03-02T02:00:00Z',
            dueAt: '2026-03-23T10:00:00Z',
            history: [
              { status: 'received', at: '2026-03-02T02:00:00Z' },
              { status: 'processing', at: '2026-03-03T02:00:00Z' },
            ],
          },
        ],
      },
    ],
  });
const CSV_EXAMPLE = [
  'sourceId,code,procedureCode,channel,applicantName,applicantPhone,receivedAt,dueAt,history',
  '"9","000.20.17.H55-260302-0009","1.004579","direct","Lê Thị Mai","0912000999","2026-03-02T02:00:00Z","2026-03-23T10:00:00Z","received|2026-03-02T02:00:00Z;processing|2026-03-03T02:00:00Z"',
].join('\n');

export function importRoutes(app: ServiceApp, deps: ContextDeps): void {
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: MAX_BYTES }, (_req, body, done) =>
    done(null, body),
  );

  app.post(
    '/v1/dossiers/import',
    {
      bodyLimit: MAX_BYTES,
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'importHistoricalDossiers',
        'x-idempotent': true,
        tags: ['dossiers'],
        summary:
          'Import dossiers from the previous one-stop software (JSON or CSV), with a dry run that reports every row error',
        description:
          'JSON: { sourceSystem, dossiers: [...] }. CSV (Content-Type text/csv, ?sourceSystem=...): one row per dossier. Idempotent by the source id; any error imports nothing. Each imported step emits the event a live dossier would have, at its original time.',
        'x-request-body': fileUpload(
          'The dossiers: a JSON file, or a CSV file with one row per dossier',
          [],
          {
            'application/json': {
              schema: { $ref: '#/components/schemas/HistoricalImportFileInput' },
            },
            'text/csv': { schema: { type: 'string' }, example: CSV_EXAMPLE },
          },
        ),
        querystring: z.object({
          dryRun: z
            .enum(['true', 'false'])
            .default('false')
            .transform((v) => v === 'true'),
          sourceSystem: SourceSystem.optional(),
        }),
        response: { 200: Report, ...errorResponses(413, 415), 422: Rejected },
      },
    },
    async (request, reply) => {
      const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim();
      let source: string;
      let rows: unknown[];
      if (type === 'text/csv') {
        if (!request.query.sourceSystem) {
          throw problems.badRequest(
            'source_system_required',
            'a CSV import names its source with ?sourceSystem=',
            [{ in: 'query', pointer: '/sourceSystem', detail: 'required for CSV' }],
          );
        }
        source = request.query.sourceSystem;
        const records = parse(
          String(request.body)
            .replace(/^\uFEFF/, '')
            .normalize('NFC'),
          { columns: true, skip_empty_lines: true, trim: true },
        ) as Record<string, string>[];
        rows = records.map(csvRowToImported);
      } else {
        const body = ImportFile.safeParse(request.body);
        if (!body.success) {
          throw problems.badRequest(
            'invalid_import',
            'expected { sourceSystem, dossiers: [...] }',
            body.error.issues.map((i) => ({
              in: 'body' as const,
              pointer: `/${i.path.join('/')}`,
              detail: i.message,
            })),
          );
        }
        source = body.data.sourceSystem;
        rows = body.data.dossiers;
      }
      const report = await importHistorical(intakeContext(deps, request), source, rows, request.query.dryRun);
      if (report.errors.length > 0) return sendReportProblem(request, reply, report);
      return reply.status(200).send(report);
    },
  );
}
