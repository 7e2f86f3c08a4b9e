import {
  decodeInstantId,
  encodeInstantId,
  errorResponses,
  HttpProblem,
  PageQuery,
  problems,
  scopeOf,
  type ServiceApp,
  ADMIN_ONLY,
} from '@tthc/service-kit';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { findRun, listRuns, updateRun, type RunRow } from '../db/reconciliation.repository';
import { resolvePeriod } from '../domain/period';
import { createRun } from '../reconciliation/reconcile';
import { asProblem } from './figure-query';

const DriftItem = z.object({
  dossierId: z.uuid(),
  code: z.string(),
  kind: z.enum(['missing_in_kpi', 'missing_in_intake', 'status_differs', 'placement_differs']),
  intake: z.object({ agencyCode: z.string(), day: z.iso.date(), status: z.string() }).nullable(),
  kpi: z.object({ agencyCode: z.string(), day: z.iso.date(), status: z.string() }).nullable(),
});

const Run = z
  .object({
    id: z.uuid(),
    trigger: z.enum(['nightly', 'on_demand']),
    from: z.iso.date(),
    to: z.iso.date(),
    agencyCodes: z.array(z.string()).nullable(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    requestedBy: z.string(),
    createdAt: z.iso.datetime({ offset: true }),
    finishedAt: z.iso.datetime({ offset: true }).nullable(),
    cells: z.number().int().nullable().meta({ description: 'agency × day × status cells intake counted' }),
    differingCells: z.number().int().nullable(),
    drift: z
      .array(DriftItem)
      .nullable()
      .meta({ description: 'the dossiers whose facts differ from intake, by code' }),
    error: z.string().nullable(),
    repair: z
      .object({
        status: z.enum(['queued', 'running', 'done', 'failed']),
        at: z.iso.datetime({ offset: true }).nullable(),
        result: z.unknown(),
      })
      .nullable(),
  })
  .meta({
    id: 'ReconciliationRun',
    examples: [
      {
        id: '5f0c2b1a-8d7e-4c3b-9a2f-1e0d9c8b7a65',
        trigger: 'on_demand',
        from: '2026-03-01',
        to: '2026-03-31',
        agencyCodes: null,
        status: 'done',
        requestedBy: 'admin',
        createdAt: '2026-04-01T01:00:00.000Z',
        finishedAt: '2026-04-01T01:00:02.000Z',
        cells: 42,
        differingCells: 1,
        drift: [
          {
            dossierId: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b',
            code: '000.20.17.H55-260302-0001',
            kind: 'missing_in_kpi',
            intake: { agencyCode: '000.00.17.H55', day: '2026-03-02', status: 'resolved' },
            kpi: null,
          },
        ],
        error: null,
        repair: null,
      },
    ],
  });

const toApi = (r: RunRow): z.infer<typeof Run> => ({
  id: r.id,
  trigger: r.trigger,
  from: r.from_day,
  to: r.to_day,
  agencyCodes: r.agency_codes,
  status: r.status,
  requestedBy: r.requested_by,
  createdAt: r.created_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
  cells: r.cells,
  differingCells: r.differing_cells,
  drift: (r.drift as z.infer<typeof DriftItem>[] | null) ?? null,
  error: r.error,
  repair: r.repair_status
    ? { status: r.repair_status, at: r.repaired_at?.toISOString() ?? null, result: r.repair ?? null }
    : null,
});

/** Reconciliation is the province's book-keeping: for province-wide callers only. */
function requireProvinceWide(identity: Parameters<typeof scopeOf>[0]): void {
  if (scopeOf(identity) !== null)
    throw problems.forbidden('reconciliation covers every agency: for province-wide callers only');
}

const RunId = z.object({ id: z.uuid() });

export function reconciliationRoutes(app: ServiceApp, deps: RouteDeps): void {
  app.post(
    '/v1/kpi/reconciliations',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'startReconciliation',
        'x-idempotent': true,
        'x-location': '/v1/kpi/reconciliations/{id}',
        tags: ['kpi'],
        summary:
          'Compare kpi’s facts with intake’s own counts by agency, day of receipt and status (runs as a job)',
        body: z
          .object({
            from: z.iso.date(),
            to: z.iso.date(),
            agencyCodes: z.array(z.string().min(1).max(35)).min(1).max(500).optional(),
          })
          .meta({ example: { from: '2026-03-01', to: '2026-03-31' } }),
        response: { 202: Run, ...errorResponses(403) },
      },
    },
    async (request, reply) => {
      try {
        resolvePeriod({ from: request.body.from, to: request.body.to });
      } catch (err) {
        throw asProblem(err, 'body');
      }
      const run = await createRun(deps.db, {
        from: request.body.from,
        to: request.body.to,
        agencyCodes: request.body.agencyCodes ?? null,
        trigger: 'on_demand',
        requestedBy: request.identity?.sub ?? 'unknown',
      });
      await deps.jobs.add('kpi.reconcile', { runId: run.id }, { jobId: `reconcile-${run.id}` });
      return reply.status(202).header('location', `/v1/kpi/reconciliations/${run.id}`).send(toApi(run));
    },
  );

  app.get(
    '/v1/kpi/reconciliations',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader'], agencyScoped: false },
        operationId: 'listReconciliations',
        tags: ['kpi'],
        summary: 'Reconciliation runs, newest first (nightly and on demand)',
        querystring: z.object(PageQuery),
        response: {
          200: z
            .object({ items: z.array(Run), nextCursor: z.string().nullable() })
            .meta({ id: 'ReconciliationRuns' }),
          ...errorResponses(403),
        },
      },
    },
    async (request) => {
      requireProvinceWide(request.identity);
      const { limit, cursor } = request.query;
      const rows = await listRuns(deps.db, decodeInstantId(cursor), limit + 1);
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return {
        items: items.map(toApi),
        nextCursor: rows.length > limit && last ? encodeInstantId(last.created_at, last.id) : null,
      };
    },
  );

  app.get(
    '/v1/kpi/reconciliations/:id',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader'], agencyScoped: false },
        operationId: 'getReconciliation',
        tags: ['kpi'],
        summary: 'A reconciliation run: its status and the drift found, dossier by dossier',
        params: RunId,
        response: { 200: Run, ...errorResponses(403, 404) },
      },
    },
    async (request) => {
      requireProvinceWide(request.identity);
      const run = await findRun(deps.db, request.params.id);
      if (!run) throw problems.notFound('reconciliation run');
      return toApi(run);
    },
  );

  app.post(
    '/v1/kpi/reconciliations/:id/repair',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'repairReconciliation',
        'x-idempotent': true,
        'x-location': '/v1/kpi/reconciliations/{id}',
        tags: ['kpi'],
        summary:
          'Repair a run’s drift: intake re-sends the drifted dossiers’ events, kpi applies them and rebuilds those days’ rollups',
        params: RunId,
        response: { 202: Run, ...errorResponses(403, 404, 409) },
      },
    },
    async (request, reply) => {
      const run = await findRun(deps.db, request.params.id);
      if (!run) throw problems.notFound('reconciliation run');
      if (run.status !== 'done')
        throw new HttpProblem(
          409,
          'not_reconciled',
          'Xung đột trạng thái',
          `run ${run.id} is ${run.status}: only a finished run can be repaired`,
        );
      await updateRun(deps.db, run.id, { repair_status: 'queued' });
      await deps.jobs.add('kpi.repair', { runId: run.id }, { jobId: `repair-${run.id}-${Date.now()}` });
      return reply.status(202).send(toApi({ ...run, repair_status: 'queued' }));
    },
  );
}
