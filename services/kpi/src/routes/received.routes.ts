import { errorResponses, problems, requireWithinScope, scopeOf, type ServiceApp } from '@tthc/service-kit';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { receivedBetween } from '../db/received.repository';
import { summariseReceived } from '../domain/counts';

const MAX_RANGE_DAYS = 366 * 5;

export const ReceivedDaily = z
  .object({
    agencyCode: z.string().nullable(),
    from: z.iso.date(),
    to: z.iso.date(),
    total: z.number().int(),
    days: z.array(z.object({ agencyCode: z.string(), day: z.iso.date(), received: z.number().int() })),
  })
  .meta({
    id: 'ReceivedDaily',
    examples: [
      {
        agencyCode: '000.00.17.H55',
        from: '2026-11-01',
        to: '2026-11-30',
        total: 3,
        days: [
          { agencyCode: '000.00.17.H55', day: '2026-11-20', received: 1 },
          { agencyCode: '000.00.17.H55', day: '2026-11-23', received: 2 },
        ],
      },
    ],
  });

export function receivedRoutes(app: ServiceApp, deps: AppDeps): void {
  app.get(
    '/v1/kpi/received-daily',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader'], agencyScoped: true },
        operationId: 'getReceivedDaily',
        tags: ['kpi'],
        summary: 'Dossiers received per agency and day',
        querystring: z.object({
          agencyCode: z.string().max(35).optional(),
          from: z.iso.date(),
          to: z.iso.date(),
        }),
        response: { 200: ReceivedDaily, ...errorResponses(403) },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      const agencyCode = request.query.agencyCode ?? null;
      // Defence in depth: an officer limited to some agencies sees only their figures.
      requireWithinScope(
        scopeOf(request.identity),
        [agencyCode],
        agencyCode ? `agency ${agencyCode}` : 'the province-wide count',
      );
      const span = (Date.parse(to) - Date.parse(from)) / 86_400_000;
      if (span < 0) {
        throw problems.badRequest('invalid_range', '`to` is before `from`', [
          { in: 'query', pointer: '/to', detail: 'must be on or after from' },
        ]);
      }
      if (span > MAX_RANGE_DAYS) {
        throw problems.badRequest('range_too_long', `a range spans at most ${MAX_RANGE_DAYS} days`, [
          { in: 'query', pointer: '/to', detail: `at most ${MAX_RANGE_DAYS} days after from` },
        ]);
      }
      return summariseReceived(
        { agencyCode, from, to },
        await receivedBetween(deps.db, { agencyCode, from, to }),
      );
    },
  );
}
