import {
  errorResponses,
  rejectedReport,
  sendReportProblem,
  type ServiceApp,
  ADMIN_ONLY,
} from '@tthc/service-kit';
import { z } from 'zod';
import { importCatalogue } from '../commands/import.command';
import type { AppDeps } from '../deps';
import { CatalogueFile } from '../domain/catalogue-file';
import { commandContext } from './context';

export const ImportReport = z
  .object({
    dryRun: z.boolean(),
    applied: z.boolean(),
    fields: z.object({ upserted: z.number().int() }),
    agencies: z.object({ upserted: z.number().int() }),
    procedures: z.object({
      created: z.number().int(),
      published: z.number().int(),
      amended: z.number().int(),
      updated: z.number().int(),
      unchanged: z.number().int(),
    }),
    errors: z.array(
      z.object({
        sheet: z.enum(['fields', 'agencies', 'procedures']),
        row: z.number().int(),
        column: z.string(),
        reason: z.string(),
      }),
    ),
  })
  .meta({
    id: 'ImportReport',
    examples: [
      {
        dryRun: true,
        applied: false,
        fields: { upserted: 0 },
        agencies: { upserted: 0 },
        procedures: { created: 0, published: 0, amended: 0, updated: 0, unchanged: 0 },
        errors: [
          {
            sheet: 'procedures',
            row: 7,
            column: 'methods.0.fees.0.amount',
            reason: 'fee: an amount in đồng, not negative',
          },
        ],
      },
    ],
  });

/** The report of a refused import, as problem+json (every row error listed). */
export const ImportRejected = rejectedReport(ImportReport, 'ImportRejected');

export function importRoutes(app: ServiceApp, deps: AppDeps): void {
  app.post(
    '/v1/procedures/import',
    {
      bodyLimit: 20 * 1024 * 1024,
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'importCatalogue',
        'x-idempotent': true,
        tags: ['import-export'],
        summary: 'Import a catalogue (JSON); with dryRun=true report every row error and change nothing',
        querystring: z.object({
          dryRun: z
            .enum(['true', 'false'])
            .default('false')
            .transform((v) => v === 'true'),
        }),
        body: CatalogueFile.meta({
          id: 'CatalogueFile',
          examples: [{ fields: [{ code: 'DUOC_PHAM', name: 'Dược phẩm' }], agencies: [], procedures: [] }],
        }),
        response: { 200: ImportReport, ...errorResponses(413), 422: ImportRejected },
      },
    },
    async (request, reply) => {
      const report = await importCatalogue(commandContext(deps, request), request.body, request.query.dryRun);
      if (report.applied && !report.dryRun) deps.onEventsWritten();
      if (report.errors.length > 0) return sendReportProblem(request, reply, report);
      return reply.status(200).send(report);
    },
  );
}
