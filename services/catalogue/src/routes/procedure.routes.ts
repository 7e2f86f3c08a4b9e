import { vnDate } from '@tthc/calendar';
import { AuthorityLevel, OnlineLevel } from '@tthc/contracts';
import {
  decodeKeyset,
  encodeKeyset,
  errorResponses,
  PageQuery,
  problems,
  type ServiceApp,
  ADMIN_ONLY,
} from '@tthc/service-kit';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { contentOf, createProcedure, updateDraft } from '../commands/procedure.command';
import { agencySubtree } from '../db/agency.repository';
import {
  countProcedures,
  findAbolition,
  findProcedure,
  findVersion,
  listHistory,
  listProcedures,
  listVersions,
  statusOn,
  versionInForce,
  type ProcedureFilter,
} from '../db/procedure.repository';
import type { ReadCache } from '../cache/read-cache';
import type { AppDeps } from '../deps';
import { cachedReadHeaders, ConditionalReadHeaders, sendCached } from './cached-read';
import { commandContext } from './context';
import {
  CreateProcedure,
  etagOf,
  parseIfMatch,
  Procedure,
  ProcedureStatusSchema,
  ProcedureSummary,
  toProcedure,
  toSummary,
  UpdateProcedure,
} from './procedure.schemas';

const CodeParams = z.object({ code: z.string().max(80) });
const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ListQuery = z.object({
  q: z
    .string()
    .max(200)
    .transform((s) => s.normalize('NFC').trim())
    .optional(),
  fieldCode: z.string().max(30).optional(),
  agencyCode: z
    .string()
    .max(35)
    .optional()
    .meta({ description: 'deciding or receiving agency, or one below it' }),
  authorityLevel: AuthorityLevel.optional(),
  onlineLevel: OnlineLevel.optional(),
  legacyLevel: z
    .string()
    .regex(
      /^(?:[1-4]|none)(?:,(?:[1-4]|none))*$/,
      'legacyLevel: levels 1-4 or none, separated by commas (e.g. 3,4)',
    )
    .transform((v) => [...new Set(v.split(','))].map((l) => (l === 'none' ? null : Number(l))))
    .optional()
    .meta({
      description:
        'legacy levels of Nghị định 43/2011 to keep, comma-separated: 1-4, or none for records without one (e.g. 3,4)',
      example: '3,4',
    }),
  status: ProcedureStatusSchema.optional(),
  feeBearing: boolQuery.optional(),
  complete: boolQuery.optional(),
  asOf: z.iso
    .date()
    .optional()
    .meta({ description: 'the catalogue as it stood on this date (default today)' }),
  sort: z.enum(['name', 'code']).default('name'),
  count: boolQuery.optional(),
  ...PageQuery,
});

/** Builds the as-of filter shared by the list and the statistics. */
export async function filterFrom(
  deps: Pick<AppDeps, 'db'>,
  q: Partial<z.infer<typeof ListQuery>>,
  asOf: string,
): Promise<ProcedureFilter> {
  let agencyCodes: string[] | undefined;
  if (q.agencyCode) {
    agencyCodes = (await agencySubtree(deps.db, q.agencyCode)).map((a) => a.code);
    if (agencyCodes.length === 0) {
      throw problems.unprocessable('unknown_agency', `agency ${q.agencyCode} does not exist`, [
        { in: 'query', pointer: '/agencyCode', detail: 'unknown agency code' },
      ]);
    }
  }
  return {
    asOf,
    fieldCode: q.fieldCode,
    agencyCodes,
    authorityLevel: q.authorityLevel,
    onlineLevel: q.onlineLevel,
    legacyLevels: q.legacyLevel,
    status: q.status,
    feeBearing: q.feeBearing,
    complete: q.complete,
    q: q.q || undefined,
  };
}

export const ProcedurePage = z.object({
  items: z.array(ProcedureSummary),
  nextCursor: z.string().nullable(),
  asOf: z.iso.date(),
  total: z.number().int().optional(),
});

/** A strong ETag of a serialized answer that has no row version of its own (a list page). */
const contentEtag = (body: string) =>
  `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;

function afterOf(cursor: string | undefined): { key: string; code: string } | undefined {
  const v = decodeKeyset(cursor, 2);
  return v ? { key: v[0]!, code: v[1]! } : undefined;
}

export function procedureRoutes(app: ServiceApp, deps: AppDeps & { readCache: ReadCache }): void {
  app.post(
    '/v1/procedures',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'createProcedure',
        'x-idempotent': true,
        'x-location': '/v1/procedures/{code}',
        tags: ['procedures'],
        summary: 'Create a procedure as a draft (publish it with a decision)',
        body: CreateProcedure,
        response: { 201: Procedure, ...errorResponses(409, 422) },
      },
    },
    async (request, reply) => {
      const { code, ...content } = request.body;
      const id = await createProcedure(commandContext(deps, request), code, content);
      const p = (await findProcedure(deps.db, code))!;
      const v = (await findVersion(deps.db, id, 1))!;
      return reply
        .status(201)
        .header('etag', etagOf(p.row_version))
        .header('location', `/v1/procedures/${code}`)
        .send(toProcedure(v, p, undefined));
    },
  );

  app.get(
    '/v1/procedures',
    {
      schema: {
        'x-access': { roles: 'public', agencyScoped: false },
        operationId: 'listProcedures',
        tags: ['procedures'],
        summary: 'List and search procedures (accent-insensitive, Vietnamese order, as of a date)',
        querystring: ListQuery,
        headers: ConditionalReadHeaders,
        response: { 200: ProcedurePage, ...errorResponses(422) },
        'x-response-headers': cachedReadHeaders,
      },
    },
    async (request, reply) => {
      const q = request.query;
      const asOf = q.asOf ?? vnDate(deps.clock());
      // The parsed query (defaults filled, in the schema's order) names the page.
      const key = `list:${JSON.stringify({ ...q, asOf })}`;
      return sendCached(request, reply, deps.readCache, key, async () => {
        const filter = await filterFrom(deps, q, asOf);
        const rows = await listProcedures(deps.db, filter, {
          sort: q.sort,
          after: afterOf(q.cursor),
          limit: q.limit,
        });
        const items = rows.slice(0, q.limit);
        const last = items[items.length - 1];
        const body = JSON.stringify(
          ProcedurePage.parse({
            items: items.map(toSummary),
            nextCursor:
              rows.length > q.limit && last
                ? encodeKeyset([q.sort === 'name' ? last.name : last.code, last.code])
                : null,
            asOf,
            ...(q.count ? { total: await countProcedures(deps.db, filter) } : {}),
          }),
        );
        return { body, etag: contentEtag(body) };
      });
    },
  );

  app.get(
    '/v1/procedures/:code',
    {
      schema: {
        'x-access': { roles: 'public', agencyScoped: false },
        operationId: 'getProcedure',
        tags: ['procedures'],
        summary: 'A procedure: its latest version, or the version in force on a date',
        params: CodeParams,
        querystring: z.object({ asOf: z.iso.date().optional() }),
        headers: ConditionalReadHeaders,
        response: { 200: Procedure, ...errorResponses(404) },
        'x-response-headers': cachedReadHeaders,
      },
    },
    async (request, reply) => {
      const { code } = request.params;
      const asOf = request.query.asOf;
      // The ETag is the row version, the one If-Match takes on the write routes.
      const answer = (view: z.input<typeof Procedure>, rowVersion: number) => ({
        body: JSON.stringify(Procedure.parse(view)),
        etag: etagOf(rowVersion),
      });
      return sendCached(request, reply, deps.readCache, `item:${code}:${asOf ?? ''}`, async () => {
        const p = await findProcedure(deps.db, code);
        if (!p) throw problems.notFound('procedure', `procedure ${code} not found`);
        if (asOf === undefined) {
          const v = (await findVersion(deps.db, p.id, p.current_version))!;
          return answer(toProcedure(v, p, await findAbolition(deps.db, p.id)), p.row_version);
        }
        const inForce = await versionInForce(deps.db, p.id, asOf);
        const status = await statusOn(deps.db, p.id, asOf);
        // After abolition no version is in force; the last one still reads, with its status.
        const versions = inForce
          ? []
          : (await listVersions(deps.db, p.id)).filter((v) => v.valid_from !== null && v.valid_from <= asOf);
        const v = inForce ?? versions[versions.length - 1];
        if (!v) throw problems.notFound('procedure', `procedure ${p.code} was not yet in force on ${asOf}`);
        // The abolishing decision shows once it was signed, even before it takes effect.
        return answer(
          toProcedure(v, { ...p, status }, await findAbolition(deps.db, p.id, asOf)),
          p.row_version,
        );
      });
    },
  );

  app.put(
    '/v1/procedures/:code',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'updateDraftProcedure',
        tags: ['procedures'],
        summary: 'Edit a draft procedure (If-Match required)',
        params: CodeParams,
        headers: z.object({ 'if-match': z.string().max(40).optional() }),
        body: UpdateProcedure,
        response: { 200: Procedure, ...errorResponses(404, 409, 412, 422, 428) },
      },
    },
    async (request, reply) => {
      await updateDraft(
        commandContext(deps, request),
        request.params.code,
        parseIfMatch(request.headers['if-match']),
        request.body,
      );
      const p = (await findProcedure(deps.db, request.params.code))!;
      const v = (await findVersion(deps.db, p.id, p.current_version))!;
      return reply.header('etag', etagOf(p.row_version)).send(toProcedure(v, p, undefined)); // a draft: never abolished
    },
  );

  app.get(
    '/v1/procedures/:code/versions',
    {
      schema: {
        'x-access': { roles: 'public', agencyScoped: false },
        operationId: 'listProcedureVersions',
        tags: ['procedures'],
        summary: 'Every version of a procedure with its validity window',
        params: CodeParams,
        response: { 200: z.object({ items: z.array(Procedure) }), ...errorResponses(404) },
      },
    },
    async (request) => {
      const p = await findProcedure(deps.db, request.params.code);
      if (!p) throw problems.notFound('procedure', `procedure ${request.params.code} not found`);
      const abolition = await findAbolition(deps.db, p.id);
      return { items: (await listVersions(deps.db, p.id)).map((v) => toProcedure(v, p, abolition)) };
    },
  );

  app.get(
    '/v1/procedures/:code/history',
    {
      schema: {
        'x-access': { roles: 'public', agencyScoped: false },
        operationId: 'getProcedureHistory',
        tags: ['procedures'],
        summary: 'The lifecycle of a procedure: each change, its decision and who made it',
        params: CodeParams,
        response: {
          200: z
            .object({
              items: z.array(
                z.object({
                  version: z.number().int(),
                  action: z.string(),
                  statusAfter: ProcedureStatusSchema,
                  decisionNumber: z.string().nullable(),
                  signedOn: z.iso.date().nullable(),
                  effectiveFrom: z.iso.date().nullable(),
                  reason: z.string().nullable(),
                  actor: z.string(),
                  at: z.iso.datetime({ offset: true }),
                }),
              ),
            })
            .meta({
              examples: [
                {
                  items: [
                    {
                      version: 1,
                      action: 'created',
                      statusAfter: 'draft',
                      decisionNumber: null,
                      signedOn: null,
                      effectiveFrom: null,
                      reason: null,
                      actor: 'officer-1',
                      at: '2026-01-05T02:00:00.000Z',
                    },
                  ],
                },
              ],
            }),
          ...errorResponses(404),
        },
      },
    },
    async (request) => {
      const p = await findProcedure(deps.db, request.params.code);
      if (!p) throw problems.notFound('procedure', `procedure ${request.params.code} not found`);
      const rows = await listHistory(deps.db, p.id);
      return {
        items: rows.map((h) => ({
          version: h.version,
          action: h.action,
          statusAfter: h.status_after,
          decisionNumber: h.decision_number,
          signedOn: h.decision_signed_on,
          effectiveFrom: h.effective_from,
          reason: h.reason,
          actor: h.actor,
          at: h.at.toISOString(),
        })),
      };
    },
  );
}

export { contentOf };
