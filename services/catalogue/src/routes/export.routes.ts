import { vnDate } from '@tthc/calendar';
import {
  errorResponses,
  fileAnswer,
  fileUpload,
  problems,
  sendReportProblem,
  type ServiceApp,
  ADMIN_ONLY,
} from '@tthc/service-kit';
import { z } from 'zod';
import { exportCatalogue } from '../commands/export.command';
import { importCatalogue } from '../commands/import.command';
import type { AppDeps } from '../deps';
import { columnOf, rowToProcedure } from '../domain/spreadsheet';
import {
  CSV_TYPE,
  readCsv,
  readXlsx,
  writeCsv,
  writeXlsx,
  XLSX_TYPE,
  type SheetFile,
} from '../io/spreadsheet-io';
import { commandContext } from './context';
import { ImportRejected, ImportReport } from './import.routes';
import { filterFrom, ListQuery } from './procedure.routes';

const MAX_SHEET_BYTES = 20 * 1024 * 1024;
/** The CSV layout as the document shows it: the header row of one procedure per line. */
const CSV_LAYOUT = writeCsv([]).replace(/^\uFEFF/, '');

export function exportRoutes(app: ServiceApp, deps: AppDeps): void {
  // Spreadsheets arrive as raw bytes; the route reads them itself.
  for (const type of [XLSX_TYPE, CSV_TYPE]) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: MAX_SHEET_BYTES }, (_req, body, done) =>
      done(null, body),
    );
  }

  app.get(
    '/v1/procedures/export',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader'], agencyScoped: false },
        operationId: 'exportCatalogue',
        tags: ['import-export'],
        summary: 'Export the catalogue as of a date, in the import layouts (JSON, XLSX, CSV)',
        querystring: ListQuery.pick({
          fieldCode: true,
          agencyCode: true,
          status: true,
          onlineLevel: true,
          legacyLevel: true,
          asOf: true,
        }).extend({
          format: z.enum(['json', 'xlsx', 'csv']).default('json'),
        }),
        response: {
          200: fileAnswer(
            'JSON: the CatalogueFile layout of the import; XLSX and CSV: one row per procedure',
            ['application/json', XLSX_TYPE, CSV_TYPE],
            {
              json: { $ref: '#/components/schemas/CatalogueFileInput' },
              examples: { [CSV_TYPE]: CSV_LAYOUT },
            },
          ),
          ...errorResponses(422),
        },
      },
    },
    async (request, reply) => {
      const asOf = request.query.asOf ?? vnDate(deps.clock());
      const data = await exportCatalogue(deps.db, await filterFrom(deps, request.query, asOf));
      const name = `danh-muc-tthc-${asOf}`;
      switch (request.query.format) {
        case 'json':
          return reply.type('application/json').send(data);
        case 'xlsx':
          return reply
            .type(XLSX_TYPE)
            .header('content-disposition', `attachment; filename="${name}.xlsx"`)
            .send(await writeXlsx(data));
        case 'csv':
          return reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="${name}.csv"`)
            .send(writeCsv(data.procedures));
      }
    },
  );

  app.post(
    '/v1/procedures/import/spreadsheet',
    {
      bodyLimit: MAX_SHEET_BYTES,
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'importCatalogueSpreadsheet',
        'x-idempotent': true,
        tags: ['import-export'],
        summary:
          'Import the catalogue spreadsheet (XLSX or CSV, one row per procedure); errors name the row and column',
        description: `Send the file as the request body with Content-Type ${XLSX_TYPE} or ${CSV_TYPE}.`,
        'x-request-body': fileUpload('The spreadsheet, in the layout the export gives', [XLSX_TYPE], {
          [CSV_TYPE]: { schema: { type: 'string' }, example: CSV_LAYOUT },
        }),
        querystring: z.object({
          dryRun: z
            .enum(['true', 'false'])
            .default('false')
            .transform((v) => v === 'true'),
        }),
        response: { 200: ImportReport, ...errorResponses(413, 415), 422: ImportRejected },
      },
    },
    async (request, reply) => {
      const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim();
      const body = request.body;
      if (!Buffer.isBuffer(body) || (type !== XLSX_TYPE && type !== CSV_TYPE)) {
        throw problems.badRequest(
          'unsupported_spreadsheet',
          `send the file with Content-Type ${XLSX_TYPE} or ${CSV_TYPE}`,
        );
      }
      let sheet: SheetFile;
      try {
        sheet = type === XLSX_TYPE ? await readXlsx(body) : readCsv(body);
      } catch (err) {
        throw problems.badRequest(
          'unreadable_spreadsheet',
          `the file could not be read: ${(err as Error).message}`,
        );
      }
      const report = await importCatalogue(
        commandContext(deps, request),
        {
          fields: sheet.fields,
          agencies: sheet.agencies.map((a) => ({
            ...a,
            parentCode: a['parentCode'] || null,
            receivesFor: (a['receivesFor'] ?? '').split(/[,;\s]+/).filter(Boolean),
          })),
          procedures: sheet.procedures.map(rowToProcedure),
        },
        request.query.dryRun,
      );
      // Spreadsheet rows count the header; procedure errors name the column as its header reads.
      report.errors = report.errors.map((e) => ({
        ...e,
        row: e.row + 1,
        column: e.sheet === 'procedures' ? columnOf(e.column) : e.column,
      }));
      if (report.applied && !report.dryRun) deps.onEventsWritten();
      if (report.errors.length > 0) return sendReportProblem(request, reply, report);
      return reply.status(200).send(report);
    },
  );
}
