import { AgencyCode, AuthorityLevel } from '@tthc/contracts';
import { withTransaction, type Executor } from '@tthc/db';
import { errorResponses, problems, type ServiceApp, ADMIN_ONLY } from '@tthc/service-kit';
import { z } from 'zod';
import {
  agencySubtree,
  findAgency,
  insertAgency,
  listAgencies,
  unknownAgencies,
  updateAgency,
  wouldCycle,
  type AgencyRow,
} from '../db/agency.repository';
import type { CatalogueDb } from '../db/schema';
import type { AppDeps } from '../deps';
import { VnText } from '../domain/procedure';

export const AgencyKind = z.enum([
  'people_committee',
  'department',
  'sub_department',
  'public_service_unit',
  'service_center',
  'other',
]);

export const Agency = z
  .object({
    code: z.string(),
    name: z.string(),
    parentCode: z.string().nullable(),
    level: AuthorityLevel,
    kind: AgencyKind,
    /** Agencies this desk receives dossiers for, beyond those below it (a provincial service centre: the departments). */
    receivesFor: z.array(z.string()),
  })
  .meta({
    id: 'Agency',
    examples: [
      {
        code: '000.00.17.H55',
        name: 'Sở Y tế',
        parentCode: '000.00.00.H55',
        level: 'province',
        kind: 'department',
        receivesFor: [],
      },
    ],
  });

const CreateAgency = z
  .object({
    code: AgencyCode,
    name: VnText(500),
    parentCode: AgencyCode.nullable(),
    level: AuthorityLevel,
    kind: AgencyKind,
    receivesFor: z.array(AgencyCode).max(200).default([]),
  })
  .meta({
    id: 'CreateAgency',
    examples: [
      {
        code: '000.01.17.H55',
        name: 'Chi cục An toàn vệ sinh thực phẩm',
        parentCode: '000.00.17.H55',
        level: 'province',
        kind: 'sub_department',
      },
      {
        code: '000.20.17.H55',
        name: 'Trung tâm Phục vụ hành chính công tỉnh',
        parentCode: '000.00.00.H55',
        level: 'province',
        kind: 'service_center',
        receivesFor: ['000.00.17.H55', '000.00.12.H55'],
      },
    ],
  });

type AgencyNode = z.infer<typeof Agency> & { children: AgencyNode[] };
const AgencyTree: z.ZodType<AgencyNode> = z
  .object({
    code: z.string(),
    name: z.string(),
    parentCode: z.string().nullable(),
    level: AuthorityLevel,
    kind: AgencyKind,
    receivesFor: z.array(z.string()),
    get children() {
      return z.array(AgencyTree);
    },
  })
  .meta({
    id: 'AgencyNode',
    examples: [
      {
        code: '000.00.17.H55',
        name: 'Sở Y tế',
        parentCode: '000.00.00.H55',
        level: 'province',
        kind: 'department',
        receivesFor: [],
        children: [],
      },
    ],
  });

const toApi = (a: AgencyRow) => ({
  code: a.code,
  name: a.name,
  parentCode: a.parent_code,
  level: a.level,
  kind: a.kind as z.infer<typeof AgencyKind>,
  receivesFor: a.receives_for,
});

/** Nests a flat list under its roots (an agency whose parent is not in the list is a root). */
function nest(rows: AgencyRow[]): AgencyNode[] {
  const nodes = new Map(rows.map((r) => [r.code, { ...toApi(r), children: [] as AgencyNode[] }]));
  const roots: AgencyNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentCode ? nodes.get(node.parentCode) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** Every agency a desk receives for must exist (422 naming the first unknown one). */
async function requireKnown(tx: Executor<CatalogueDb>, codes: string[]): Promise<void> {
  const unknown = await unknownAgencies(tx, codes);
  if (unknown.length) {
    throw problems.unprocessable(
      'unknown_agency',
      `unknown agencies in receivesFor: ${unknown.join(', ')}`,
      unknown.map((c) => ({
        in: 'body' as const,
        pointer: `/receivesFor/${codes.indexOf(c)}`,
        detail: `unknown agency ${c}`,
      })),
    );
  }
}

export function agencyRoutes(app: ServiceApp, deps: AppDeps): void {
  app.post(
    '/v1/agencies',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'createAgency',
        'x-idempotent': true,
        'x-location': '/v1/agencies/{code}',
        tags: ['agencies'],
        summary: 'Create an agency (cơ quan, đơn vị)',
        body: CreateAgency,
        response: { 201: Agency, ...errorResponses(409, 422) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      if (b.parentCode === b.code) {
        throw problems.unprocessable('own_parent', 'an agency cannot be its own parent', [
          { in: 'body', pointer: '/parentCode', detail: 'equals code' },
        ]);
      }
      await withTransaction(deps.db, async (tx) => {
        if (b.parentCode && !(await findAgency(tx, b.parentCode))) {
          throw problems.unprocessable('unknown_parent', `parent agency ${b.parentCode} does not exist`, [
            { in: 'body', pointer: '/parentCode', detail: 'unknown agency code' },
          ]);
        }
        await requireKnown(tx, b.receivesFor);
        const created = await insertAgency(tx, {
          code: b.code,
          name: b.name,
          parent_code: b.parentCode,
          level: b.level,
          kind: b.kind,
          receives_for: b.receivesFor,
        });
        if (!created) throw problems.conflict('agency_exists', `agency ${b.code} already exists`);
      });
      return reply.status(201).send({ ...b, receivesFor: b.receivesFor });
    },
  );

  app.get(
    '/v1/agencies',
    {
      schema: {
        'x-access': { roles: 'public', agencyScoped: false },
        operationId: 'listAgencies',
        tags: ['agencies'],
        summary: 'All agencies, as a list or as a tree',
        querystring: z.object({ view: z.enum(['list', 'tree']).default('list') }),
        response: { 200: z.object({ items: z.array(AgencyTree) }), ...errorResponses() },
      },
    },
    async (request) => {
      const rows = await listAgencies(deps.db);
      return {
        items: request.query.view === 'tree' ? nest(rows) : rows.map((r) => ({ ...toApi(r), children: [] })),
      };
    },
  );

  app.put(
    '/v1/agencies/:code',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'updateAgency',
        tags: ['agencies'],
        summary: 'Rename or move an agency (its parent, level, kind); a move that closes a cycle is refused',
        params: z.object({ code: z.string().max(35) }),
        body: CreateAgency.omit({ code: true }).meta({
          id: 'UpdateAgency',
          examples: [
            {
              name: 'Sở Y tế',
              parentCode: '000.00.00.H55',
              level: 'province',
              kind: 'department',
              receivesFor: [],
            },
          ],
        }),
        response: { 200: Agency, ...errorResponses(404, 409, 422) },
      },
    },
    async (request) => {
      const { code } = request.params;
      const b = request.body;
      if (b.parentCode === code) {
        throw problems.unprocessable('own_parent', 'an agency cannot be its own parent', [
          { in: 'body', pointer: '/parentCode', detail: 'equals code' },
        ]);
      }
      await withTransaction(deps.db, async (tx) => {
        if (!(await findAgency(tx, code))) throw problems.notFound('agency', `agency ${code} not found`);
        if (b.parentCode) {
          if (!(await findAgency(tx, b.parentCode))) {
            throw problems.unprocessable('unknown_parent', `parent agency ${b.parentCode} does not exist`, [
              { in: 'body', pointer: '/parentCode', detail: 'unknown agency code' },
            ]);
          }
          if (await wouldCycle(tx, code, b.parentCode)) {
            throw problems.conflict(
              'agency_cycle',
              `${b.parentCode} is ${code} or below it: the tree would close a cycle`,
            );
          }
        }
        await requireKnown(tx, b.receivesFor);
        await updateAgency(tx, code, {
          name: b.name,
          parent_code: b.parentCode,
          level: b.level,
          kind: b.kind,
          receives_for: b.receivesFor,
        });
      });
      return { code, ...b };
    },
  );

  app.get(
    '/v1/agencies/:code',
    {
      schema: {
        'x-access': { roles: 'public', agencyScoped: false },
        operationId: 'getAgency',
        tags: ['agencies'],
        summary: 'An agency with the agencies below it',
        params: z.object({ code: z.string().max(35) }),
        response: { 200: AgencyTree, ...errorResponses(404) },
      },
    },
    async (request) => {
      const rows = await agencySubtree(deps.db, request.params.code);
      const root = nest(rows).find((n) => n.code === request.params.code);
      if (!root) throw problems.notFound('agency', `agency ${request.params.code} not found`);
      return root;
    },
  );
}
