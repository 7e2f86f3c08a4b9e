import { vnDate } from '@tthc/calendar';
import { errorResponses, problems, type ServiceApp } from '@tthc/service-kit';
import { CatalogueStatistics } from '@tthc/contracts';
import { z } from 'zod';
import { catalogueStatistics } from '../commands/statistics.command';
import type { AppDeps } from '../deps';

export function statisticsRoutes(app: ServiceApp, deps: AppDeps): void {
  app.get(
    '/v1/procedures/statistics',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader'], agencyScoped: false },
        operationId: 'getCatalogueStatistics',
        tags: ['procedures'],
        summary: 'Catalogue figures for a reporting agency on a date, and the changes of a period',
        querystring: z.object({
          agencyCode: z.string().max(35).optional(),
          date: z.iso
            .date()
            .optional()
            .meta({ description: 'as-of date (default today); the period ends here' }),
          from: z.iso.date().optional().meta({
            description: 'start of the period whose publications, amendments and abolitions are listed',
          }),
        }),
        response: { 200: CatalogueStatistics, ...errorResponses(422) },
      },
    },
    async (request) => {
      const asOf = request.query.date ?? vnDate(deps.clock());
      const from = request.query.from;
      if (from && from > asOf) {
        throw problems.badRequest('invalid_range', '`from` is after `date`', [
          { in: 'query', pointer: '/from', detail: 'must be on or before date' },
        ]);
      }
      return catalogueStatistics(deps, { agencyCode: request.query.agencyCode, asOf, from });
    },
  );
}
