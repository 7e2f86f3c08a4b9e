import { errorResponses, IfMatchHeader, problems, type ServiceApp, ADMIN_ONLY } from '@tthc/service-kit';
import { z } from 'zod';
import { amend, changeStatus, publish } from '../commands/procedure.command';
import { findAbolition, findProcedure, findVersion } from '../db/procedure.repository';
import type { AppDeps } from '../deps';
import { Decision, ProcedureContent, VnText } from '../domain/procedure';
import { commandContext } from './context';
import {
  DecisionBody,
  etagOf,
  parseIfMatch,
  Procedure,
  PROCEDURE_CONTENT_EXAMPLE,
  toProcedure,
} from './procedure.schemas';

const CodeParams = z.object({ code: z.string().max(80) });

function parseDecision(body: unknown): Decision {
  const r = Decision.safeParse(body);
  if (!r.success) {
    const errors = r.error.issues.map((i) => ({
      in: 'body' as const,
      pointer: `/${i.path.join('/')}`,
      detail: i.message,
    }));
    throw problems.badRequest(
      'invalid_decision',
      errors.map((e) => `${e.pointer}: ${e.detail}`).join('; '),
      errors,
    );
  }
  return r.data;
}

export function lifecycleRoutes(app: ServiceApp, deps: AppDeps): void {
  const current = async (code: string) => {
    const p = (await findProcedure(deps.db, code))!;
    const v = (await findVersion(deps.db, p.id, p.current_version))!;
    return { p, v };
  };

  app.post(
    '/v1/procedures/:code/publish',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'publishProcedure',
        tags: ['procedures'],
        summary: 'Publish a draft by a decision (number, signing date, effective date)',
        params: CodeParams,
        headers: IfMatchHeader,
        body: DecisionBody,
        response: { 200: Procedure, ...errorResponses(404, 409, 412, 422, 428) },
      },
    },
    async (request, reply) => {
      await publish(
        commandContext(deps, request),
        request.params.code,
        parseIfMatch(request.headers['if-match']),
        parseDecision(request.body),
      );
      deps.onEventsWritten();
      const { p, v } = await current(request.params.code);
      // A draft or a published procedure has no abolition yet.
      return reply.header('etag', etagOf(p.row_version)).send(toProcedure(v, p, undefined));
    },
  );

  app.post(
    '/v1/procedures/:code/amendments',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'amendProcedure',
        'x-idempotent': true,
        'x-location': '/v1/procedures/{code}',
        tags: ['procedures'],
        summary:
          'Amend a published procedure: a new version from the decision date; the old keeps its window',
        params: CodeParams,
        headers: IfMatchHeader,
        body: z.object({ content: ProcedureContent, decision: DecisionBody }).meta({
          id: 'Amendment',
          examples: [
            {
              content: PROCEDURE_CONTENT_EXAMPLE,
              decision: {
                decisionNumber: '20/QĐ-UBND',
                signedOn: '2026-03-01',
                effectiveFrom: '2026-03-15',
              },
            },
          ],
        }),
        response: { 201: Procedure, ...errorResponses(404, 409, 412, 422, 428) },
      },
    },
    async (request, reply) => {
      const d = parseDecision(request.body.decision);
      await amend(
        commandContext(deps, request),
        request.params.code,
        parseIfMatch(request.headers['if-match']),
        request.body.content,
        d,
      );
      deps.onEventsWritten();
      const { p, v } = await current(request.params.code);
      return reply
        .status(201)
        .header('etag', etagOf(p.row_version))
        .send(toProcedure(v, p, undefined));
    },
  );

  for (const action of ['suspend', 'resume', 'abolish'] as const) {
    app.post(
      `/v1/procedures/:code/${action}`,
      {
        schema: {
          'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
          operationId: `${action}Procedure`,
          tags: ['procedures'],
          summary: {
            suspend: 'Suspend a procedure by a decision',
            resume: 'Resume a suspended procedure by a decision',
            abolish: 'Abolish a procedure by a decision; it stays readable with its history',
          }[action],
          params: CodeParams,
          headers: IfMatchHeader,
          body: z
            .object({
              decisionNumber: z.string().max(40),
              signedOn: z.iso.date(),
              effectiveFrom: z.iso.date(),
              reason: VnText(2000).nullable().optional(),
            })
            .meta({
              examples: [
                {
                  decisionNumber: '312/QĐ-UBND',
                  signedOn: '2026-06-01',
                  effectiveFrom: '2026-06-15',
                  reason: 'Bãi bỏ theo Nghị định mới',
                },
              ],
            }),
          response: { 200: Procedure, ...errorResponses(404, 409, 412, 422, 428) },
        },
      },
      async (request, reply) => {
        const { reason, ...decision } = request.body;
        await changeStatus(
          commandContext(deps, request),
          request.params.code,
          parseIfMatch(request.headers['if-match']),
          action,
          parseDecision(decision),
          reason ?? null,
        );
        deps.onEventsWritten();
        const { p, v } = await current(request.params.code);
        return reply
          .header('etag', etagOf(p.row_version))
          .send(toProcedure(v, p, await findAbolition(deps.db, p.id)));
      },
    );
  }
}
