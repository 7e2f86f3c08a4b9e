import { randomUUID } from 'node:crypto';
import { AgencyCode, Role } from '@tthc/contracts';
import { withTransaction, type Db } from '@tthc/db';
import {
  errorResponses,
  EXPORT_CONTENT_TYPES,
  ExportQuery,
  exportRange,
  exportResponse,
  exportStream,
  problems,
  type ServiceApp,
  ADMIN_ONLY,
} from '@tthc/service-kit';
import { z } from 'zod';
import { generateApiKey } from '../auth/api-keys';
import type { ApiKeyCache } from '../auth/key-cache';
import {
  audit,
  auditPage,
  findApiKey,
  insertApiKey,
  listApiKeys,
  listAudit,
  revokeApiKey,
  type ApiKeyRow,
} from '../db/api-key.repository';
import type { GatewayDb } from '../db/schema';

const ApiKeyOut = z
  .object({
    id: z.uuid(),
    prefix: z.string(),
    name: z.string(),
    owner: z.string(),
    roles: z.array(Role),
    agencyCode: z.string().nullable(),
    mayStateOfficer: z.boolean().meta({
      description:
        'the system may state the officer acting on its behalf (X-Acting-Officer-Id/-Name/-Unit headers)',
    }),
    expiresAt: z.iso.datetime({ offset: true }).nullable(),
    revokedAt: z.iso.datetime({ offset: true }).nullable(),
    lastUsedAt: z.iso.datetime({ offset: true }).nullable(),
    createdBy: z.string(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .meta({
    id: 'ApiKey',
    examples: [
      {
        id: '2f1e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b',
        prefix: 'Ab3dE6gH',
        name: 'Cổng dịch vụ công tỉnh',
        owner: 'portal',
        roles: ['portal'],
        agencyCode: null,
        mayStateOfficer: false,
        expiresAt: '2027-12-31T17:00:00.000Z',
        revokedAt: null,
        lastUsedAt: null,
        createdBy: 'key:admin:Zz9Yy8Xx',
        createdAt: '2026-11-23T02:00:00.000Z',
      },
    ],
  });
const IssuedKey = ApiKeyOut.extend({
  key: z.string().meta({ description: 'shown once; only its hash is kept' }),
}).meta({
  id: 'IssuedApiKey',
  examples: [
    {
      id: '2f1e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b',
      prefix: 'Ab3dE6gH',
      name: 'Cổng dịch vụ công tỉnh',
      owner: 'portal',
      roles: ['portal'],
      agencyCode: null,
      mayStateOfficer: false,
      expiresAt: '2027-12-31T17:00:00.000Z',
      revokedAt: null,
      lastUsedAt: null,
      createdBy: 'key:admin:Zz9Yy8Xx',
      createdAt: '2026-11-23T02:00:00.000Z',
      key: 'tthc_Ab3dE6gH_8c1f0e2d9b7a6c5e4f3a2b1c0d9e8f7a',
    },
  ],
});

const CreateKey = z
  .object({
    name: z
      .string()
      .min(1)
      .max(200)
      .transform((s) => s.normalize('NFC')),
    owner: z.string().regex(/^[a-z0-9_.-]{2,50}$/, 'owner: 2-50 characters of a-z, 0-9, _ . -'),
    roles: z.array(Role).min(1),
    agencyCode: AgencyCode.nullable().default(null),
    mayStateOfficer: z.boolean().default(false).meta({
      description:
        'allow the system (desk software calling for many officers) to state the officer acting in the X-Acting-Officer-* headers; the audit trail and the slips then name that person',
    }),
    expiresAt: z.iso.datetime({ offset: true }).nullable().default(null),
  })
  .meta({
    id: 'CreateApiKey',
    examples: [
      {
        name: 'Phần mềm một cửa',
        owner: 'desk-software',
        roles: ['desk_officer'],
        agencyCode: '000.20.17.H55',
        mayStateOfficer: true,
        expiresAt: null,
      },
    ],
  });

const toApi = (r: ApiKeyRow) => ({
  id: r.id,
  prefix: r.prefix,
  name: r.name,
  owner: r.owner,
  roles: r.roles,
  agencyCode: r.agency_code,
  mayStateOfficer: r.may_state_officer,
  expiresAt: r.expires_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
});

/** Issues a key (the plain key is returned once), recorded in the admin audit in the same transaction. */
export async function issueKey(
  db: Db<GatewayDb>,
  input: z.infer<typeof CreateKey>,
  actor: string,
  action = 'api_key.create',
) {
  const { key, prefix, hash } = generateApiKey();
  const id = randomUUID();
  await withTransaction(db, async (tx) => {
    await insertApiKey(tx, {
      id,
      prefix,
      hash,
      name: input.name,
      owner: input.owner,
      roles: input.roles,
      agency_code: input.agencyCode,
      may_state_officer: input.mayStateOfficer,
      expires_at: input.expiresAt ? new Date(input.expiresAt) : null,
      revoked_at: null,
      last_used_at: null,
      created_by: actor,
    });
    await audit(tx, {
      actor,
      action,
      target: `api_key:${id}`,
      detail: {
        name: input.name,
        owner: input.owner,
        roles: input.roles,
        agencyCode: input.agencyCode,
        mayStateOfficer: input.mayStateOfficer,
      },
    });
  });
  return { key, row: (await findApiKey(db, id))! };
}

const ADMIN_AUDIT_COLUMNS = ['at', 'actor', 'action', 'target', 'detail'] as const;

export function adminRoutes(app: ServiceApp, deps: { db: Db<GatewayDb>; keys: ApiKeyCache }): void {
  const actor = (sub: string | undefined) => sub ?? 'unknown';
  const IdParams = z.object({ id: z.uuid() });

  app.post(
    '/v1/admin/api-keys',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'createApiKey',
        tags: ['admin'],
        summary:
          'Issue an API key for a system (portal, desk software, reporting tool); the key is shown once',
        body: CreateKey,
        response: { 201: IssuedKey, ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      const { key, row } = await issueKey(deps.db, request.body, actor(request.caller.sub));
      return reply.status(201).send({ ...toApi(row), key });
    },
  );

  app.get(
    '/v1/admin/api-keys',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'listApiKeys',
        tags: ['admin'],
        summary: 'API keys with owner, roles, scope, expiry and last use (never the keys)',
        response: { 200: z.object({ items: z.array(ApiKeyOut) }), ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: (await listApiKeys(deps.db)).map(toApi) }),
  );

  app.post(
    '/v1/admin/api-keys/:id/rotate',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'rotateApiKey',
        tags: ['admin'],
        summary:
          'Replace a key: the old one is revoked, a new one with the same owner, roles and scope is issued',
        params: IdParams,
        response: { 201: IssuedKey, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const old = await findApiKey(deps.db, request.params.id);
      if (!old) throw problems.notFound('api key', `no API key ${request.params.id}`);
      if (!(await revokeApiKey(deps.db, old.id, new Date())))
        throw problems.conflict('already_revoked', 'the key is revoked already');
      deps.keys.revoked(old.prefix);
      const { key, row } = await issueKey(
        deps.db,
        {
          name: old.name,
          owner: old.owner,
          roles: old.roles,
          agencyCode: old.agency_code,
          mayStateOfficer: old.may_state_officer,
          expiresAt: old.expires_at?.toISOString() ?? null,
        },
        actor(request.caller.sub),
        'api_key.rotate',
      );
      return reply.status(201).send({ ...toApi(row), key });
    },
  );

  app.post(
    '/v1/admin/api-keys/:id/revoke',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'revokeApiKey',
        tags: ['admin'],
        summary: 'Revoke a key at once',
        params: IdParams,
        response: { 200: ApiKeyOut, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => {
      const row = await withTransaction(deps.db, async (tx) => {
        if (!(await findApiKey(tx, request.params.id)))
          throw problems.notFound('api key', `no API key ${request.params.id}`);
        if (!(await revokeApiKey(tx, request.params.id, new Date())))
          throw problems.conflict('already_revoked', 'the key is revoked already');
        await audit(tx, {
          actor: actor(request.caller.sub),
          action: 'api_key.revoke',
          target: `api_key:${request.params.id}`,
          detail: {},
        });
        return (await findApiKey(tx, request.params.id))!;
      });
      deps.keys.revoked(row.prefix);
      return toApi(row);
    },
  );

  app.get(
    '/v1/admin/audit/export',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'exportAdminAudit',
        tags: ['admin'],
        summary:
          'Export the key administration log (issued, rotated, revoked keys) for a date range, as CSV or JSON lines, streamed',
        querystring: ExportQuery,
        response: {
          200: exportResponse(ADMIN_AUDIT_COLUMNS),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const { from, to, format } = request.query;
      const range = exportRange(request.query);
      const stream = exportStream<string>(ADMIN_AUDIT_COLUMNS, format, async (after, limit) => {
        const rows = await auditPage(deps.db, range, after, limit);
        const last = rows.at(-1);
        return { rows, last: last ? String(last.id) : null };
      });
      return reply
        .type(EXPORT_CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="nhat-ky-quan-tri-khoa-${from}-${to}.${format}"`)
        .send(stream);
    },
  );

  app.get(
    '/v1/admin/audit',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'listAdminAudit',
        tags: ['admin'],
        summary: 'The administrators’ actions, newest first',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: {
          200: z
            .object({
              items: z.array(
                z.object({
                  actor: z.string(),
                  action: z.string(),
                  target: z.string(),
                  detail: z.record(z.string(), z.unknown()),
                  at: z.iso.datetime({ offset: true }),
                }),
              ),
            })
            .meta({
              examples: [
                {
                  items: [
                    {
                      actor: 'key:admin:Zz9Yy8Xx',
                      action: 'api_key.create',
                      target: 'api_key:2f1e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b',
                      detail: { owner: 'portal' },
                      at: '2026-11-23T02:00:00.000Z',
                    },
                  ],
                },
              ],
            }),
          ...errorResponses(401, 403),
        },
      },
    },
    async (request) => ({
      items: (await listAudit(deps.db, request.query.limit)).map((a) => ({
        actor: a.actor,
        action: a.action,
        target: a.target,
        detail: a.detail as Record<string, unknown>,
        at: a.at.toISOString(),
      })),
    }),
  );
}
