import { errorResponses, type ServiceApp } from '@tthc/service-kit';
import { z } from 'zod';
import { intakeContext } from '../commands/context';
import { rateDossier } from '../commands/rating.command';
import type { AppDeps } from '../deps';
import { nfc } from '../domain/dossier-input';
import { Dossier, etagOf, toDossier } from './dossier.schemas';

export function ratingRoutes(app: ServiceApp, deps: AppDeps): void {
  app.post(
    '/v1/dossiers/:code/rating',
    {
      schema: {
        'x-access': { roles: ['portal', 'desk_officer'], agencyScoped: true },
        operationId: 'rateDossier',
        'x-idempotent': true,
        tags: ['dossier-actions'],
        summary:
          'The applicant rates the handling once, after the result (hài lòng / bình thường / không hài lòng)',
        params: z.object({ code: z.string().max(80) }),
        body: z
          .object({ rating: z.enum(['satisfied', 'normal', 'not_satisfied']), comment: nfc(2000).optional() })
          .meta({ id: 'Rating', examples: [{ rating: 'satisfied', comment: 'Cán bộ hướng dẫn tận tình' }] }),
        response: { 200: Dossier, ...errorResponses(403, 404, 409) },
      },
    },
    async (request, reply) => {
      const d = await rateDossier(intakeContext(deps, request), request.params.code, request.body);
      return reply.header('etag', etagOf(d.version)).send(toDossier(d, deps.clock()));
    },
  );
}
