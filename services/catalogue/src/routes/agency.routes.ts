import { AgencyCode, AuthorityLevel } from '@tthc/contracts';
import { withTransaction } from '@tthc/db';
import { errorResponses, problems, type ServiceApp } from '@tthc/service-kit';
import { z } from 'zod';
import { agencySubtree, findAgency, insertAgency, listAgencies, updateAgency, wouldCycle, type AgencyRow } from '../db/agency.repository';
import type { AppDeps } from '../deps';
import { VnText } from '../domain/procedure';

export const AgencyKind = z.enum(['people_committee', 'department', 'sub_department', 'public_service_unit', 'service_center', 'other']);

export const Agency = z
  .object({
    code: z.string(),
    name: z.string(),
    parentCode: z.string().nullable(),
    level: AuthorityLevel,
    kind: AgencyKind,
  })
  .meta({
    id: 'Agency',
    examples: [{ code: '000.00.17.H55', name: 'Sở Y tế', parentCode: '000.00.00.H55', level: 'province', kind: 'department' }],
  });

const CreateAgency = z
  .object({ code: AgencyCode, name: VnText(500), parentCode: AgencyCode.nullable(), level: AuthorityLevel, kind: AgencyKind })
  .meta({
    id: 'CreateAgency',
    examples: [{ code: '000.01.17.H55', name: 'Chi cục An toàn vệ sinh thực phẩm', parentCode: '000.00.17.H55', level: 'province', kind: 'sub_department' }],
  });

type AgencyNode = z.infer<typeof Agency> & { children: AgencyNode[] };
const AgencyTree: z.ZodType<AgencyNode> = z
  .object({
    code: z.string(),
    name: z.string(),
    parentCode: z.string().nullable(),
    level: AuthorityLevel,
    kind: AgencyKind,
    get children() {
      return z.array(AgencyTree);
    },
  })
  .meta({
    id: 'AgencyNode',
    examples: [{ code: '000.00.17.H55', name: 'Sở Y tế', parentCode: '000.00.00.H55', level: 'province', kind: 'department', children: [] }],
  });

const toApi = (a: AgencyRow) => ({
  code: a.code,
  name: a.name,
  parentCode: a.parent_code,
  level: a.level,
  kind: a.kind as z.infer<typeof AgencyKind>,
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

export function agencyRoutes(app: ServiceApp, deps: AppDeps): void {
  app.post(
    '/v1/agencies',
    {
      schema: {
        operationId: 'createAgency',
        tags: ['agencies'],
        summary: 'Create an agency (cơ quan, đơn vị)',
        body: CreateAgency,
        response: { 201: Agency, ...errorResponses(409, 422) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      if (b.parentCode === b.code) {
        throw problems.unprocessable('own_parent', 'an agency cannot be its own parent', [{ in: 'body', pointer: '/parentCode', detail: 'equals code' }]);
      }
      await withTransaction(deps.db, async (tx) => {
        if (b.parentCode && !(await findAgency(tx, b.parentCode))) {
          throw problems.unprocessable('unknown_parent', `parent agency ${b.parentCode} does not exist`, [
            { in: 'body', pointer: '/parentCode', detail: 'unknown agency code' },
          ]);
        }
        const created = await insertAgency(tx, { code: b.code, name: b.name, parent_code: b.parentCode, level: b.level, kind: b.kind });
        if (!created) throw problems.conflict('agency_exists', `agency ${b.code} already exists`);
      });
      return reply.status(201).send(b);
    },
  );

  app.get(
    '/v1/agencies',
    {
      schema: {
        operationId: 'listAgencies',
        tags: ['agencies'],
        summary: 'All agencies, as a list or as a tree',
        querystring: z.object({ view: z.enum(['list', 'tree']).default('list') }),
        response: { 200: z.object({ items: z.array(AgencyTree) }), ...errorResponses() },
      },
    },
    async (request) => {
      const rows = await listAgencies(deps.db);
      return { items: request.query.view === 'tree' ? nest(rows) : rows.map((r) => ({ ...toApi(r), children: [] })) };
    },
  );

  app.put(
    '/v1/agencies/:code',
    {
      schema: {
        operationId: 'updateAgency',
        tags: ['agencies'],
        summary: 'Rename or move an agency (its parent, level, kind); a move that closes a cycle is refused',
        params: z.object({ code: z.string().max(35) }),
        body: CreateAgency.omit({ code: true }).meta({
          id: 'UpdateAgency',
          examples: [{ name: 'Sở Y tế', parentCode: '000.00.00.H55', level: 'province', kind: 'department' }],
        }),
        response: { 200: Agency, ...errorResponses(404, 409, 422) },
      },
    },
    async (request) => {
      const { code } = request.params;
      const b = request.body;
      if (b.parentCode === code) {
        throw problems.unprocessable('own_parent', 'an agency cannot be its own parent', [{ in: 'body', pointer: '/parentCode', detail: 'equals code' }]);
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
            throw problems.conflict('agency_cycle', `${b.parentCode} is ${code} or below it: the tree would close a cycle`);
          }
        }
        await updateAgency(tx, code, { name: b.name, parent_code: b.parentCode, level: b.level, kind: b.kind });
      });
      return { code, ...b };
    },
  );

  app.get(
    '/v1/agencies/:code',
    {
      schema: {
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
