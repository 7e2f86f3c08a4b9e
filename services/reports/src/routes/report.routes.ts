import { randomUUID } from 'node:crypto';
import { emitEvent } from '@tthc/bus';
import { withTransaction } from '@tthc/db';
import {
  decodeInstantId,
  encodeInstantId,
  errorResponses,
  listScope,
  PageQuery,
  problems,
  requireFilterWithinScope,
  scopeOf,
  type ServiceApp,
} from '@tthc/service-kit';
import { requireReportScope } from '../access';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { findReport, insertReport, listReports, type ReportRow } from '../db/report.repository';
import { ReceivedSummaryParams } from '../domain/report-kinds';

const CreateReport = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('received-summary'), params: ReceivedSummaryParams }),
  ])
  .meta({
    id: 'CreateReport',
    examples: [
      {
        kind: 'received-summary',
        params: { agencyCode: '000.00.17.H55', from: '2026-11-01', to: '2026-11-30' },
      },
    ],
  });

export const Report = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    params: z.record(z.string(), z.unknown()),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    artifact: z.unknown().nullable(),
    error: z.string().nullable(),
    createdAt: z.iso.datetime({ offset: true }),
    finishedAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({
    id: 'Report',
    examples: [
      {
        id: '9a3e1f57-3c2b-4a7e-8d6f-1b2c3d4e5f60',
        kind: 'received-summary',
        params: { agencyCode: '000.00.17.H55', from: '2026-11-01', to: '2026-11-30' },
        status: 'done',
        artifact: {
          title: 'Tổng hợp hồ sơ tiếp nhận',
          total: 2,
          byAgency: [{ agencyCode: '000.00.17.H55', received: 2 }],
        },
        error: null,
        createdAt: '2026-11-23T03:00:00.000Z',
        finishedAt: '2026-11-23T03:00:01.000Z',
      },
    ],
  });

const toApi = (r: ReportRow) => ({
  id: r.id,
  kind: r.kind,
  params: r.params as Record<string, unknown>,
  status: r.status,
  artifact: r.artifact ?? null,
  error: r.error,
  createdAt: r.created_at.toISOString(),
  finishedAt: r.finished_at ? r.finished_at.toISOString() : null,
});

export function reportRoutes(app: ServiceApp, deps: AppDeps): void {
  app.post(
    '/v1/reports',
    {
      schema: {
        operationId: 'requestReport',
        tags: ['reports'],
        summary: 'Request a report; it is produced in the background',
        body: CreateReport,
        response: { 202: Report, ...errorResponses(403) },
      },
    },
    async (request, reply) => {
      const { kind, params } = request.body;
      requireReportScope(scopeOf(request.identity), { agencyCode: params.agencyCode });
      const row = await withTransaction(deps.db, async (tx) => {
        const report = await insertReport(tx, {
          id: randomUUID(),
          kind,
          params: JSON.stringify(params),
          agency_code: params.agencyCode,
          status: 'queued',
          artifact: null,
          error: null,
          requested_by: request.identity?.sub ?? 'unknown',
          finished_at: null,
        });
        await emitEvent(
          tx,
          'report.requested',
          { reportId: report.id, kind, params },
          { source: 'reports', entityId: report.id, entityVersion: 1, requestId: request.id },
        );
        return report;
      });
      deps.onEventsWritten();
      return reply.status(202).header('location', `/v1/reports/${row.id}`).send(toApi(row));
    },
  );

  app.get(
    '/v1/reports/:id',
    {
      schema: {
        operationId: 'getReport',
        tags: ['reports'],
        summary: 'Status of a report and, when done, its artifact',
        params: z.object({ id: z.uuid() }),
        response: { 200: Report, ...errorResponses(403, 404) },
      },
    },
    async (request) => {
      const row = await findReport(deps.db, request.params.id);
      if (!row) throw problems.notFound('report', `report ${request.params.id} not found`);
      requireReportScope(scopeOf(request.identity), { id: row.id, agencyCode: row.agency_code });
      return toApi(row);
    },
  );

  app.get(
    '/v1/reports',
    {
      schema: {
        operationId: 'listReports',
        tags: ['reports'],
        summary: 'Reports requested, newest first, by agency, kind and status (within your agency scope)',
        querystring: z.object({
          agencyCode: z.string().max(35).optional(),
          kind: z.string().max(50).optional(),
          status: z.enum(['queued', 'running', 'done', 'failed']).optional(),
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
      if (q.agencyCode)
        requireFilterWithinScope(scope, q.agencyCode, { in: 'query', pointer: '/agencyCode' });
      const rows = await listReports(
        deps.db,
        { visibleTo: listScope(scope), agencyCode: q.agencyCode, kind: q.kind, status: q.status },
        { after: decodeInstantId(q.cursor), limit: q.limit },
      );
      const items = rows.slice(0, q.limit);
      const last = items[items.length - 1];
      return {
        items: items.map(toApi),
        nextCursor: rows.length > q.limit && last ? encodeInstantId(last.created_at, last.id) : null,
      };
    },
  );
}
