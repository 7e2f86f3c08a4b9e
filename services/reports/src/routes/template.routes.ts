import { createHash } from 'node:crypto';
import { AgencyCode } from '@tthc/contracts';
import { errorResponses, problems, scopeOf, type ServiceApp, ADMIN_ONLY } from '@tthc/service-kit';
import { z } from 'zod';
import { requireReportScope } from '../access';
import { PROVINCE_SCOPE, saveTemplate } from '../db/template.repository';
import type { AppDeps } from '../deps';
import { contentDisposition } from '../domain/file-name';
import {
  checkDocxTemplate,
  DOCX_TYPE,
  MAX_TEMPLATE_BYTES,
  OPTIONAL_PLACEHOLDERS,
  REQUIRED_PLACEHOLDERS,
  TemplateRefused,
} from '../formats/docx-template';
import { defaultDocxTemplate } from '../formats/docx.format';

const TemplateOut = z
  .object({
    agencyCode: z.string().nullable().meta({ description: 'null: the province’s template' }),
    placeholders: z.array(z.string()),
    sha256: z.string(),
    size: z.number().int(),
    uploadedBy: z.string(),
    uploadedAt: z.iso.datetime({ offset: true }),
  })
  .meta({
    id: 'ReportTemplate',
    examples: [
      {
        agencyCode: '000.00.17.H55',
        placeholders: ['body', 'issuer', 'placeAndDate', 'subtitle', 'title'],
        sha256: '9f2b5c0e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c',
        size: 48213,
        uploadedBy: 'vanthu.syt',
        uploadedAt: '2026-04-01T02:00:00.000Z',
      },
    ],
  });

const PLACEHOLDER_HELP = `Required: ${REQUIRED_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}; optional: ${OPTIONAL_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}.`;

/** The DOCX template a department replaces with its own: the default, and the upload (validated). */
export function templateRoutes(app: ServiceApp, deps: AppDeps): void {
  app.addContentTypeParser(
    DOCX_TYPE,
    { parseAs: 'buffer', bodyLimit: MAX_TEMPLATE_BYTES },
    (_req, body, done) => done(null, body),
  );

  app.get(
    '/v1/reports/templates/docx/default',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader'], agencyScoped: false },
        operationId: 'downloadDefaultReportTemplate',
        tags: ['reports'],
        summary: 'The default DOCX template of reports, to edit into a department’s own',
        description: PLACEHOLDER_HELP,
        produces: [DOCX_TYPE],
        response: {
          200: z.string().meta({ format: 'binary', description: 'the template (DOCX)', example: 'PK…' }),
        },
      },
    },
    async (_request, reply) =>
      reply
        .type(DOCX_TYPE)
        .header('content-disposition', contentDisposition('Mẫu báo cáo.docx', 'Mau bao cao.docx'))
        .send((await defaultDocxTemplate()) as unknown as string),
  );

  app.put(
    '/v1/reports/templates/docx',
    {
      bodyLimit: MAX_TEMPLATE_BYTES,
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'replaceReportTemplate',
        tags: ['reports'],
        summary:
          'Replace the DOCX template an agency’s reports (or, without agencyCode, the province’s) are rendered with',
        description: `Send the document as the body with Content-Type ${DOCX_TYPE}. ${PLACEHOLDER_HELP} A file that is not a DOCX, or lacks a required placeholder, is a 422 naming what is missing.`,
        querystring: z.object({
          agencyCode: AgencyCode.optional().meta({ description: 'absent: the province’s template' }),
        }),
        response: { 200: TemplateOut, ...errorResponses(403, 413, 415, 422) },
      },
    },
    async (request) => {
      const agencyCode = request.query.agencyCode ?? null;
      requireReportScope(scopeOf(request.identity), { agencyCode });
      const body = request.body as unknown;
      if (!Buffer.isBuffer(body))
        throw problems.unprocessable('invalid_docx', `send the template as ${DOCX_TYPE}`, [
          { in: 'body', pointer: '', detail: `a DOCX document (${DOCX_TYPE})` },
        ]);
      let placeholders: string[];
      try {
        placeholders = await checkDocxTemplate(body);
      } catch (err) {
        if (!(err instanceof TemplateRefused)) throw err;
        throw problems.unprocessable(
          err.code,
          err.message,
          err.missing.length > 0
            ? err.missing.map((m) => ({
                in: 'body' as const,
                pointer: `/placeholders/${m}`,
                detail: `the placeholder {{${m}}} is missing`,
              }))
            : [{ in: 'body' as const, pointer: '', detail: err.message }],
        );
      }
      const row = await saveTemplate(deps.db, {
        scope: agencyCode ?? PROVINCE_SCOPE,
        content: body,
        sha256: createHash('sha256').update(body).digest('hex'),
        placeholders,
        uploaded_by: request.identity?.sub ?? 'unknown',
        uploaded_at: deps.clock(),
      });
      return {
        agencyCode,
        placeholders: row.placeholders,
        sha256: row.sha256,
        size: body.length,
        uploadedBy: row.uploaded_by,
        uploadedAt: row.uploaded_at.toISOString(),
      };
    },
  );
}
