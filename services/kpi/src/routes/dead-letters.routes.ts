import { findDeadLetter, listDeadLetters, replayDeadLetter, type DeadLetterRow } from '@tthc/bus';
import {
  decodeInstantId,
  encodeInstantId,
  errorResponses,
  HttpProblem,
  PageQuery,
  problems,
  type ServiceApp,
  ADMIN_ONLY,
} from '@tthc/service-kit';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { kpiEventHandlers } from '../facts/handlers';

const DeadLetter = z
  .object({
    id: z.uuid(),
    queue: z.string(),
    jobId: z.string().nullable(),
    eventId: z.string().nullable(),
    eventType: z.string().nullable(),
    data: z.unknown().meta({ description: 'the job’s data as it arrived' }),
    reason: z.string(),
    attempts: z.number().int(),
    parkedAt: z.iso.datetime({ offset: true }),
    replayedAt: z.iso.datetime({ offset: true }).nullable(),
    replayError: z.string().nullable(),
  })
  .meta({
    id: 'DeadLetter',
    examples: [
      {
        id: '0c9d8e7f-6a5b-4c3d-9e2f-1a0b9c8d7e6f',
        queue: 'kpi.events',
        jobId: '7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910',
        eventId: '7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910',
        eventType: 'dossier.received',
        data: { id: '7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910', type: 'dossier.received', payload: { code: 42 } },
        reason: 'does not read: payload/code: Invalid input: expected string, received number',
        attempts: 1,
        parkedAt: '2026-04-01T01:00:00.000Z',
        replayedAt: null,
        replayError: null,
      },
    ],
  });

const toApi = (r: DeadLetterRow): z.infer<typeof DeadLetter> => ({
  id: r.id,
  queue: r.queue,
  jobId: r.job_id,
  eventId: r.event_id,
  eventType: r.event_type,
  data: r.data,
  reason: r.reason,
  attempts: r.attempts,
  parkedAt: r.parked_at.toISOString(),
  replayedAt: r.replayed_at?.toISOString() ?? null,
  replayError: r.replay_error,
});

export function deadLetterRoutes(app: ServiceApp, deps: AppDeps): void {
  app.get(
    '/v1/kpi/dead-letters',
    {
      schema: {
        // Parked events are an operator's business: administrators only.
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'listKpiDeadLetters',
        tags: ['kpi'],
        summary: 'Events kpi could not apply, parked with the reason (newest first)',
        querystring: z.object(PageQuery),
        response: {
          200: z
            .object({ items: z.array(DeadLetter), nextCursor: z.string().nullable() })
            .meta({ id: 'DeadLetters' }),
          ...errorResponses(403),
        },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const rows = await listDeadLetters(deps.db, decodeInstantId(cursor), limit + 1);
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return {
        items: items.map(toApi),
        nextCursor: rows.length > limit && last ? encodeInstantId(last.parked_at, last.id) : null,
      };
    },
  );

  app.post(
    '/v1/kpi/dead-letters/:id/replay',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'replayKpiDeadLetter',
        tags: ['kpi'],
        summary:
          'Apply a parked event again (after a fix); refused with the reason when it still cannot be applied',
        params: z.object({ id: z.uuid() }),
        response: { 200: DeadLetter, ...errorResponses(403, 404, 422) },
      },
    },
    async (request) => {
      if (!(await findDeadLetter(deps.db, request.params.id))) throw problems.notFound('dead letter');
      try {
        await replayDeadLetter(deps.db, request.params.id, kpiEventHandlers);
      } catch {
        const letter = await findDeadLetter(deps.db, request.params.id);
        throw new HttpProblem(
          422,
          'still_unreadable',
          'Không thể xử lý yêu cầu',
          `the event still cannot be applied: ${letter?.replay_error ?? 'unknown reason'}`,
        );
      }
      return toApi((await findDeadLetter(deps.db, request.params.id)) as DeadLetterRow);
    },
  );
}
