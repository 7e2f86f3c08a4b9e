import { randomUUID } from 'node:crypto';
import { errorResponses, listScope, problems, scopeOf, type ServiceApp, ADMIN_ONLY } from '@tthc/service-kit';
import { AgencyCode } from '@tthc/contracts';
import { z } from 'zod';
import { requireReportScope } from '../access';
import {
  disableSchedule,
  findSchedule,
  insertSchedule,
  listSchedules,
  type ScheduleRow,
} from '../db/schedule.repository';
import type { AppDeps } from '../deps';
import { FORMATS, ReportFormat } from '../formats';
import { ReportKindName } from '../kinds/registry';

const CreateSchedule = z
  .object({
    kind: ReportKindName,
    agencyCode: AgencyCode.nullable().default(null),
    cadence: z.enum(['quarter', 'half', 'year']),
    basis: z.enum(['calendar', 'statutory']).default('statutory').meta({
      description:
        'statutory: made once the data-cut period (15th to 14th) closes; calendar: after the calendar period',
    }),
    formats: z
      .array(ReportFormat)
      .min(1)
      .max(FORMATS.length)
      .default([...FORMATS]),
    owner: z.string().min(1).max(200).optional().meta({
      description:
        'the officer (SSO subject) told through the notification module when each report is ready; default: you',
      example: 'chuyenvien.syt',
    }),
  })
  .meta({
    id: 'CreateReportSchedule',
    examples: [
      {
        kind: 'reform-report',
        agencyCode: '000.00.17.H55',
        cadence: 'quarter',
        basis: 'statutory',
        owner: 'chuyenvien.syt',
      },
    ],
  });

const Schedule = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    agencyCode: z.string().nullable(),
    cadence: z.enum(['quarter', 'half', 'year']),
    basis: z.enum(['calendar', 'statutory']),
    formats: z.array(z.string()),
    enabled: z.boolean(),
    owner: z.string().meta({ description: 'told when each report is ready' }),
    createdBy: z.string(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .meta({
    id: 'ReportSchedule',
    examples: [
      {
        id: '5b1d7f00-8a51-4c39-9f43-3f0c6b1e2a10',
        kind: 'reform-report',
        agencyCode: '000.00.17.H55',
        cadence: 'quarter',
        basis: 'statutory',
        formats: ['xlsx', 'docx', 'pdf'],
        enabled: true,
        owner: 'chuyenvien.syt',
        createdBy: 'admin',
        createdAt: '2026-04-01T00:00:00.000Z',
      },
    ],
  });

const toApi = (s: ScheduleRow) => ({
  id: s.id,
  kind: s.kind,
  agencyCode: s.agency_code,
  cadence: s.cadence,
  basis: s.basis,
  formats: s.formats,
  enabled: s.enabled,
  owner: s.owner,
  createdBy: s.created_by,
  createdAt: s.created_at.toISOString(),
});

/** Schedules: a report of a kind made for an agency each time a period of its cadence closes. */
export function scheduleRoutes(app: ServiceApp, deps: AppDeps): void {
  app.post(
    '/v1/reports/schedules',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'createReportSchedule',
        'x-idempotent': true,
        tags: ['reports'],
        summary: 'Make a kind of report for an agency each quarter, half-year or year once the period closes',
        body: CreateSchedule,
        response: { 201: Schedule, ...errorResponses(403) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      requireReportScope(scopeOf(request.identity), { agencyCode: b.agencyCode });
      const row = await insertSchedule(deps.db, {
        id: randomUUID(),
        agency_code: b.agencyCode,
        kind: b.kind,
        cadence: b.cadence,
        basis: b.basis,
        formats: b.formats,
        enabled: true,
        created_by: request.identity?.sub ?? 'unknown',
        owner: b.owner ?? request.identity?.sub ?? 'unknown',
      });
      return reply.status(201).send(toApi(row));
    },
  );

  app.get(
    '/v1/reports/schedules',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader'], agencyScoped: true },
        operationId: 'listReportSchedules',
        tags: ['reports'],
        summary: 'Report schedules (within your agency scope)',
        response: { 200: z.object({ items: z.array(Schedule) }), ...errorResponses(403) },
      },
    },
    async (request) => ({
      items: (await listSchedules(deps.db, { visibleTo: listScope(scopeOf(request.identity)) })).map(toApi),
    }),
  );

  app.post(
    '/v1/reports/schedules/:id/disable',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'disableReportSchedule',
        tags: ['reports'],
        summary: 'Stop a schedule (the reports it made are kept)',
        params: z.object({ id: z.uuid() }),
        response: { 200: Schedule, ...errorResponses(403, 404) },
      },
    },
    async (request) => {
      const s = await findSchedule(deps.db, request.params.id);
      if (!s) throw problems.notFound('schedule', `schedule ${request.params.id} not found`);
      requireReportScope(scopeOf(request.identity), { id: s.id, agencyCode: s.agency_code });
      await disableSchedule(deps.db, s.id);
      return toApi({ ...s, enabled: false });
    },
  );
}
