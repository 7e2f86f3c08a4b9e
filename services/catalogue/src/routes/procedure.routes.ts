import { randomUUID } from 'node:crypto';
import { emitEvent } from '@tthc/bus';
import { AgencyCode, OnlineLevel } from '@tthc/contracts';
import { withTransaction } from '@tthc/db';
import { decodeCursor, errorResponses, page, PageQuery, problems, type ServiceApp } from '@tthc/service-kit';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { findField } from '../db/field.repository';
import { findProcedure, insertProcedure, listProcedures, type ProcedureRow } from '../db/procedure.repository';
import { NationalCode, VnText } from '../domain/procedure';

export const Procedure = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    fieldCode: z.string(),
    agencyCode: z.string(),
    processingDays: z.number().int(),
    onlineLevel: OnlineLevel,
    status: z.enum(['published', 'abolished']),
    version: z.number().int(),
    effectiveFrom: z.iso.datetime({ offset: true }),
  })
  .meta({
    id: 'Procedure',
    examples: [
      {
        id: '0f8c2a52-61a4-4c1e-9f55-3b8f2f0f8a10',
        code: '1.004579',
        name: 'Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm',
        fieldCode: 'ATTP',
        agencyCode: '000.00.17.H55',
        processingDays: 20,
        onlineLevel: 'partial',
        status: 'published',
        version: 1,
        effectiveFrom: '2026-01-01T00:00:00.000Z',
      },
    ],
  });

const CreateProcedure = z
  .object({
    code: NationalCode,
    name: VnText(1000),
    fieldCode: z.string().min(1).max(30),
    agencyCode: AgencyCode,
    processingDays: z.number().int().min(0).max(3650),
    onlineLevel: OnlineLevel.default('none'),
  })
  .meta({
    id: 'CreateProcedure',
    examples: [
      {
        code: '1.004579',
        name: 'Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm',
        fieldCode: 'ATTP',
        agencyCode: '000.00.17.H55',
        processingDays: 20,
        onlineLevel: 'partial',
      },
    ],
  });

const toApi = (r: ProcedureRow) => ({
  id: r.id,
  code: r.code,
  name: r.name,
  fieldCode: r.field_code,
  agencyCode: r.agency_code,
  processingDays: r.processing_days,
  onlineLevel: r.online_level,
  status: r.status,
  version: r.version,
  effectiveFrom: r.effective_from.toISOString(),
});

export function procedureRoutes(app: ServiceApp, deps: AppDeps): void {
  app.post(
    '/v1/procedures',
    {
      schema: {
        operationId: 'createProcedure',
        tags: ['procedures'],
        summary: 'Create and publish a procedure',
        body: CreateProcedure,
        response: { 201: Procedure, ...errorResponses(409, 422) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const row = await withTransaction(deps.db, async (tx) => {
        if (!(await findField(tx, body.fieldCode))) {
          throw problems.unprocessable('unknown_field', `field ${body.fieldCode} does not exist`, [
            { in: 'body', pointer: '/fieldCode', detail: `unknown field code ${body.fieldCode}` },
          ]);
        }
        const inserted = await insertProcedure(tx, {
          id: randomUUID(),
          code: body.code,
          name: body.name,
          field_code: body.fieldCode,
          agency_code: body.agencyCode,
          processing_days: body.processingDays,
          online_level: body.onlineLevel,
          status: 'published',
          version: 1,
          effective_from: deps.clock(),
        });
        if (!inserted) throw problems.conflict('procedure_exists', `procedure ${body.code} already exists`);
        await emitEvent(
          tx,
          'procedure.published',
          {
            procedureId: inserted.id,
            code: inserted.code,
            version: inserted.version,
            name: inserted.name,
            fieldCode: inserted.field_code,
            agencyCode: inserted.agency_code,
            onlineLevel: inserted.online_level,
            processingDays: inserted.processing_days,
            effectiveFrom: inserted.effective_from.toISOString(),
          },
          { source: 'catalogue', entityId: inserted.id, entityVersion: inserted.version, requestId: request.id },
        );
        return inserted;
      });
      deps.onEventsWritten();
      return reply.status(201).send(toApi(row));
    },
  );

  app.get(
    '/v1/procedures',
    {
      schema: {
        operationId: 'listProcedures',
        tags: ['procedures'],
        summary: 'List and search procedures (accent-insensitive)',
        querystring: z.object({
          fieldCode: z.string().max(30).optional(),
          q: z.string().max(200).transform((s) => s.normalize('NFC').trim()).optional(),
          ...PageQuery,
        }),
        response: {
          200: z.object({ items: z.array(Procedure), nextCursor: z.string().nullable() }),
          ...errorResponses(),
        },
      },
    },
    async (request) => {
      const { limit, cursor, fieldCode, q } = request.query;
      const rows = await listProcedures(deps.db, { fieldCode, q: q || undefined, after: decodeCursor(cursor), limit });
      const result = page(rows, limit, (r) => r.code);
      return { items: result.items.map(toApi), nextCursor: result.nextCursor };
    },
  );

  app.get(
    '/v1/procedures/:code',
    {
      schema: {
        operationId: 'getProcedure',
        tags: ['procedures'],
        summary: 'Get a procedure by code',
        params: z.object({ code: z.string().max(80) }),
        response: { 200: Procedure, ...errorResponses(404) },
      },
    },
    async (request) => {
      const row = await findProcedure(deps.db, request.params.code);
      if (!row) throw problems.notFound('procedure', `procedure ${request.params.code} not found`);
      return toApi(row);
    },
  );
}
