import { errorResponses, problems, type ServiceApp, ADMIN_ONLY } from '@tthc/service-kit';
import { z } from 'zod';
import { insertField, listFields, renameField } from '../db/field.repository';
import type { AppDeps } from '../deps';
import { FieldCode, VnText } from '../domain/procedure';

export const Field = z
  .object({ code: FieldCode, name: z.string() })
  .meta({ id: 'Field', examples: [{ code: 'DUOC_PHAM', name: 'Dược phẩm' }] });

const CreateField = z
  .object({ code: FieldCode, name: VnText(300) })
  .meta({ id: 'CreateField', examples: [{ code: 'DUOC_PHAM', name: 'Dược phẩm' }] });

export function fieldRoutes(app: ServiceApp, deps: AppDeps): void {
  app.post(
    '/v1/fields',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'createField',
        'x-idempotent': true,
        tags: ['fields'],
        summary: 'Create a field (lĩnh vực)',
        body: CreateField,
        response: { 201: Field, ...errorResponses(409) },
      },
    },
    async (request, reply) => {
      const created = await insertField(deps.db, request.body);
      if (!created) throw problems.conflict('field_exists', `field ${request.body.code} already exists`);
      return reply.status(201).send(request.body);
    },
  );

  app.put(
    '/v1/fields/:code',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'renameField',
        tags: ['fields'],
        summary: 'Rename a field',
        params: z.object({ code: z.string().max(30) }),
        body: z.object({ name: VnText(300) }).meta({ id: 'RenameField', examples: [{ name: 'Dược phẩm' }] }),
        response: { 200: Field, ...errorResponses(404) },
      },
    },
    async (request) => {
      if (!(await renameField(deps.db, request.params.code, request.body.name))) {
        throw problems.notFound('field', `field ${request.params.code} not found`);
      }
      return { code: request.params.code, name: request.body.name };
    },
  );

  app.get(
    '/v1/fields',
    {
      schema: {
        'x-access': { roles: 'public', agencyScoped: false },
        operationId: 'listFields',
        tags: ['fields'],
        summary: 'List fields in Vietnamese alphabetical order',
        response: { 200: z.object({ items: z.array(Field) }), ...errorResponses() },
      },
    },
    async () => ({ items: await listFields(deps.db) }),
  );
}
