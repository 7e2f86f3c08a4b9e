import {
  errorResponses,
  HANDLERS,
  IfMatchHeader,
  type RouteAccess,
  type ServiceApp,
} from '@tthc/service-kit';
import { z } from 'zod';
import { intakeContext } from '../commands/context';
import { applyAction } from '../commands/transition.command';
import type { AppDeps } from '../deps';
import { ActionInputs } from '../domain/action-input';
import type { DossierAction } from '../domain/lifecycle';
import { Dossier, etagOf, parseIfMatch, toDossier } from './dossier.schemas';

const CodeParams = z.object({ code: z.string().max(80) });

/** Path segment and summary of each officer action (national status it leads to in brackets). */
const ACTIONS: {
  action: Exclude<DossierAction, 'record_payment' | 'complete_step'>;
  path: string;
  summary: string;
  example: object;
  access: RouteAccess;
}[] = [
  {
    action: 'accept',
    path: 'accept',
    access: { roles: ['desk_officer'], agencyScoped: true },
    summary: 'Accept an online submission (1 → 2); the due date starts',
    example: {},
  },
  {
    action: 'refuse',
    path: 'refuse',
    access: { roles: ['desk_officer'], agencyScoped: true },
    summary: 'Refuse an online submission (1 → 3), with the reason (slip 03)',
    example: { reason: 'Hồ sơ không thuộc thẩm quyền giải quyết' },
  },
  {
    action: 'assign',
    path: 'assign',
    access: { roles: HANDLERS, agencyScoped: true },
    summary:
      'Assign to a unit, or hand the dossier over to another agency (inter-agency procedures): a sequential or internal hand-over closes the step being handed over; a parallel one opens a step beside the others (→ 4)',
    example: { unit: 'Phòng Nghiệp vụ Dược', officer: 'chuyenvien.duoc', mode: 'internal' },
  },
  {
    action: 'request_supplement',
    path: 'request-supplement',
    access: { roles: HANDLERS, agencyScoped: true },
    summary: 'Ask the applicant for a supplement (→ 5): the clock stops (slip 02)',
    example: { reason: 'Hồ sơ chưa đầy đủ', items: ['Bản sao văn bằng chuyên môn có chứng thực'] },
  },
  {
    action: 'complete_supplement',
    path: 'complete-supplement',
    access: { roles: ['portal', ...HANDLERS], agencyScoped: true },
    summary: 'The supplement arrived (5 → 4), at the desk or on the portal: the due date is recomputed',
    example: {},
  },
  {
    action: 'request_payment',
    path: 'request-payment',
    access: { roles: HANDLERS, agencyScoped: true },
    summary: 'Ask for the financial obligation (→ 6)',
    example: { amount: 500000, reason: 'Phí thẩm định' },
  },
  {
    action: 'reschedule',
    path: 'reschedule',
    access: { roles: ['processing_officer', 'leader'], agencyScoped: true },
    summary: 'Apologise and set a new date (slip 04): once, at least a day before the due date',
    example: { reason: 'Cần lấy ý kiến cơ quan liên quan', newDueAt: '2026-12-18T10:00:00Z' },
  },
  {
    action: 'resolve',
    path: 'resolve',
    access: { roles: HANDLERS, agencyScoped: true },
    summary: 'Record the result (→ 9), judged early / on time / late',
    example: { resultNumber: '123/GP-SYT', eResult: true, resultDigitized: true },
  },
  {
    action: 'return',
    path: 'return',
    access: { roles: ['desk_officer'], agencyScoped: true },
    summary: 'Return the result (9 → 10) at the desk, by post (tracking number) or online',
    example: { method: 'post', trackingNumber: 'EV123456789VN' },
  },
  {
    action: 'withdraw',
    path: 'withdraw',
    access: { roles: ['desk_officer'], agencyScoped: true },
    summary: 'The applicant withdraws the dossier (→ 7)',
    example: { reason: 'Công dân xin rút hồ sơ' },
  },
  {
    action: 'stop',
    path: 'stop',
    access: { roles: HANDLERS, agencyScoped: true },
    summary: 'Stop processing (→ 8), with the reason',
    example: { reason: 'Cơ sở không đủ điều kiện' },
  },
];

export function actionRoutes(app: ServiceApp, deps: AppDeps): void {
  for (const { action, path, summary, example, access } of ACTIONS) {
    app.post(
      `/v1/dossiers/:code/${path}`,
      {
        schema: {
          'x-access': access,
          operationId: `${action.replace(/_([a-z])/g, (_m: string, c: string) => c.toUpperCase())}Dossier`,
          tags: ['dossier-actions'],
          summary,
          description:
            'Send If-Match with the ETag of the dossier you read: a stale one gets 412, an illegal transition 409 naming the current status.',
          params: CodeParams,
          headers: IfMatchHeader,
          body: (ActionInputs[action] as z.ZodType).meta({ examples: [example] }),
          response: { 200: Dossier, ...errorResponses(403, 404, 409, 412, 422, 428) },
        },
      },
      async (request, reply) => {
        const ifMatch = parseIfMatch(request.headers['if-match']);
        const d = await applyAction(
          intakeContext(deps, request),
          request.params.code,
          action,
          request.body as never,
          ifMatch,
        );
        return reply.header('etag', etagOf(d.version)).send(toDossier(d, deps.clock()));
      },
    );
  }

  app.post(
    '/v1/dossiers/:code/steps/:seq/complete',
    {
      schema: {
        'x-access': { roles: HANDLERS, agencyScoped: true },
        operationId: 'completeDossierStep',
        tags: ['dossier-actions'],
        summary:
          'An agency ends its own step of the processing: completed (its part is done), or returned for correction to the agency that handed it over',
        description:
          "For the officers of the agency holding the step (inter-agency procedures) and of the dossier's own agencies. Send If-Match with the ETag of the dossier you read.",
        params: CodeParams.extend({ seq: z.coerce.number().int().min(1).max(1000) }),
        headers: IfMatchHeader,
        body: ActionInputs.complete_step.meta({
          id: 'CompleteDossierStep',
          examples: [{ outcome: 'completed', note: 'Sở Tư pháp thống nhất với đề nghị bổ nhiệm' }],
        }),
        response: { 200: Dossier, ...errorResponses(403, 404, 409, 412, 422, 428) },
      },
    },
    async (request, reply) => {
      const input = { ...request.body, seq: request.params.seq };
      const d = await applyAction(
        intakeContext(deps, request),
        request.params.code,
        'complete_step',
        input,
        parseIfMatch(request.headers['if-match']),
      );
      return reply.header('etag', etagOf(d.version)).send(toDossier(d, deps.clock()));
    },
  );

  app.post(
    '/v1/dossiers/:code/payments',
    {
      schema: {
        'x-access': { roles: ['portal', 'desk_officer'], agencyScoped: true },
        operationId: 'recordDossierPayment',
        'x-idempotent': true,
        tags: ['dossier-actions'],
        summary: 'Record a fee payment (at the desk, by post or online); a dossier awaiting payment resumes',
        description: 'Idempotent by receipt number: the same receipt is recorded once (409 after).',
        params: CodeParams,
        body: ActionInputs.record_payment.meta({
          id: 'RecordPayment',
          examples: [
            { amount: 500000, method: 'national_portal', online: true, receiptNumber: 'BL-2026-000123' },
          ],
        }),
        response: { 200: Dossier, ...errorResponses(403, 404, 409) },
      },
    },
    async (request, reply) => {
      const d = await applyAction(
        intakeContext(deps, request),
        request.params.code,
        'record_payment',
        request.body,
        undefined,
        {
          requireIfMatch: false,
        },
      );
      return reply.header('etag', etagOf(d.version)).send(toDossier(d, deps.clock()));
    },
  );
}

export const ActionPayloads = ActionInputs;
export { Dossier };
