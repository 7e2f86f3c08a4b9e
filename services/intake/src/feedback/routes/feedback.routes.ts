import { vnDate, vnInstant } from '@tthc/calendar';
import {
  decodeInstantId,
  encodeInstantId,
  errorResponses,
  IfMatchHeader,
  keysetPage,
  listPage,
  listScope,
  PageQuery,
  parseIfMatch,
  problems,
  routeAccess,
  scopeOf,
  seesPersonalData,
  type ServiceApp,
  OFFICERS,
} from '@tthc/service-kit';
import type { FastifyRequest } from 'fastify';
import { requireFeedbackScope } from '../../access';
import { logPersonalDataAccess } from '../../db/access.repository';
import { z } from 'zod';
import { answerFeedback, assignFeedback, rateFeedback, receiveFeedback } from '../commands/feedback.command';
import { intakeContext, type ContextDeps } from '../../commands/context';
import {
  countFeedback,
  findFeedbackByCode,
  listFeedback,
  listFeedbackHistory,
  type FeedbackFilter,
} from '../db/feedback.repository';
import { withFeedback } from '../db/feedback.schema';
import { OPEN_FEEDBACK } from '../domain/feedback';
import { AnswerFeedback, AssignFeedback, RateFeedback, ReceiveFeedback } from '../domain/feedback-input';
import { etagOf } from '../../routes/dossier.schemas';
import { toTrailEntry, trailEntry } from '../../routes/trail.schemas';
import { Feedback, FeedbackStatus, FeedbackSummary, toFeedback, toFeedbackSummary } from './feedback.schemas';

const CodeParams = z.object({ code: z.string().max(40) });

const ListQuery = z.object({
  status: z
    .string()
    .max(100)
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(FeedbackStatus))
    .optional()
    .meta({ description: 'comma-separated statuses' }),
  agencyCode: z.string().max(35).optional(),
  kind: z.enum(['regulation', 'handling']).optional(),
  overdue: z
    .enum(['true'])
    .optional()
    .meta({ description: 'only unanswered feedback whose due date is before today' }),
  count: z.enum(['true', 'false']).optional(),
  ...PageQuery,
});

/** What the feedback routes use of the app's dependencies. */
export type FeedbackDeps = ContextDeps;

/** Feedback (phản ánh, kiến nghị) on a procedure or on the handling of a dossier: receipt, assignment, answer, rating. */
export function feedbackRoutes(app: ServiceApp, deps: FeedbackDeps): void {
  const db = withFeedback(deps.db);
  /** The feedback, if it belongs to an agency in the caller's scope (404, 403 otherwise). */
  const readableFeedback = async (request: FastifyRequest, code: string) => {
    const f = await findFeedbackByCode(db, code);
    if (!f) throw problems.notFound('feedback', `feedback ${code} not found`);
    requireFeedbackScope(scopeOf(request.identity), f);
    return f;
  };

  app.post(
    '/v1/feedback',
    {
      schema: {
        'x-access': { roles: ['portal', 'desk_officer'], agencyScoped: true },
        operationId: 'receiveFeedback',
        'x-idempotent': true,
        'x-location': '/v1/feedback/{code}',
        tags: ['feedback'],
        summary:
          'Receive a feedback on a procedure or on the handling of a dossier; its due date is set in working days',
        body: ReceiveFeedback.meta({
          id: 'ReceiveFeedback',
          examples: [
            {
              kind: 'handling',
              dossierCode: '000.20.17.H55-261123-0001',
              sender: { name: 'Trần Thị Bình', phone: '0912345678' },
              content: 'Hồ sơ của tôi đã quá hạn hẹn trả nhưng chưa được thông báo lý do.',
            },
          ],
        }),
        response: { 201: Feedback, ...errorResponses(403, 422) },
      },
    },
    async (request, reply) => {
      const f = await receiveFeedback(intakeContext(deps, request), request.body);
      return reply.status(201).header('etag', etagOf(f.version)).send(toFeedback(f, deps.clock()));
    },
  );

  app.get(
    '/v1/feedback',
    {
      schema: {
        'x-access': { roles: OFFICERS, agencyScoped: true },
        operationId: 'listFeedback',
        tags: ['feedback'],
        summary: 'Feedback by status, agency and kind, or overdue; newest first',
        querystring: ListQuery,
        response: {
          200: listPage(FeedbackSummary),
          ...errorResponses(403),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const now = deps.clock();
      const scope = scopeOf(request.identity);
      // An agencyCode outside the scope was refused before (x-access agencyScoped).
      const filter: FeedbackFilter = {
        status: q.status,
        visibleTo: listScope(scope),
        agencyCode: q.agencyCode,
        kind: q.kind,
        // Overdue now: unanswered and due before today (domain.md, Timeliness).
        ...(q.overdue
          ? {
              status: (q.status ?? [...OPEN_FEEDBACK]).filter((s) => OPEN_FEEDBACK.includes(s)),
              dueBefore: vnInstant(vnDate(now), '00:00'),
            }
          : {}),
      };
      if (filter.status?.length === 0)
        return { items: [], nextCursor: null, ...(q.count === 'true' ? { total: 0 } : {}) };
      const rows = await listFeedback(db, filter, { after: decodeInstantId(q.cursor), limit: q.limit });
      const page = keysetPage(rows, q.limit, (last) => encodeInstantId(last.received_at, last.id));
      return {
        items: page.rows.map((f) => toFeedbackSummary(f, now)),
        nextCursor: page.nextCursor,
        ...(q.count === 'true' ? { total: await countFeedback(db, filter) } : {}),
      };
    },
  );

  app.get(
    '/v1/feedback/:code',
    {
      schema: {
        'x-access': { roles: OFFICERS, agencyScoped: true, personalData: OFFICERS },
        operationId: 'getFeedback',
        tags: ['feedback'],
        summary: 'A feedback with its sender, content, assignment, answer and rating (for its handlers)',
        params: CodeParams,
        response: { 200: Feedback, ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      const f = await readableFeedback(request, request.params.code);
      const personal = seesPersonalData(routeAccess(request), request.identity);
      if (personal)
        await logPersonalDataAccess(deps.db, request.identity, { feedback_id: f.id }, 'read feedback');
      return reply.header('etag', etagOf(f.version)).send(toFeedback(f, deps.clock(), personal));
    },
  );

  app.post(
    '/v1/feedback/:code/assign',
    {
      schema: {
        'x-access': { roles: ['processing_officer', 'leader'], agencyScoped: true },
        operationId: 'assignFeedback',
        tags: ['feedback'],
        summary: 'Assign the feedback (again) to a unit and officer for handling',
        description:
          'Send If-Match with the ETag of the feedback you read: a stale one gets 412, none 428, an illegal transition 409 naming the current status.',
        params: CodeParams,
        headers: IfMatchHeader,
        body: AssignFeedback.meta({
          id: 'AssignFeedback',
          examples: [{ unit: 'Phòng Nghiệp vụ Dược', officer: 'chuyenvien.duoc' }],
        }),
        response: { 200: Feedback, ...errorResponses(403, 404, 409, 412, 428) },
      },
    },
    async (request, reply) => {
      const f = await assignFeedback(
        intakeContext(deps, request),
        request.params.code,
        request.body,
        parseIfMatch(request.headers['if-match']),
      );
      return reply.header('etag', etagOf(f.version)).send(toFeedback(f, deps.clock()));
    },
  );

  app.post(
    '/v1/feedback/:code/answer',
    {
      schema: {
        'x-access': { roles: ['processing_officer', 'leader'], agencyScoped: true },
        operationId: 'answerFeedback',
        tags: ['feedback'],
        summary: 'Record the answer, judged early / on time / late against the due date (dates in Việt Nam)',
        description:
          'Send If-Match with the ETag of the feedback you read: a stale one gets 412, none 428, an illegal transition 409 naming the current status.',
        params: CodeParams,
        headers: IfMatchHeader,
        body: AnswerFeedback.meta({
          id: 'AnswerFeedback',
          examples: [
            {
              answer:
                'Sở Y tế đã kiểm tra; hồ sơ chậm do chờ ý kiến Bộ Y tế. Kết quả sẽ được trả ngày 18/12/2026.',
            },
          ],
        }),
        response: { 200: Feedback, ...errorResponses(403, 404, 409, 412, 428) },
      },
    },
    async (request, reply) => {
      const f = await answerFeedback(
        intakeContext(deps, request),
        request.params.code,
        request.body,
        parseIfMatch(request.headers['if-match']),
      );
      return reply.header('etag', etagOf(f.version)).send(toFeedback(f, deps.clock()));
    },
  );

  app.post(
    '/v1/feedback/:code/rating',
    {
      schema: {
        'x-access': { roles: ['portal'], agencyScoped: false },
        operationId: 'rateFeedback',
        'x-idempotent': true,
        tags: ['feedback'],
        summary:
          "The sender's satisfaction with the answer, once, after it (hài lòng / bình thường / không hài lòng); closes the feedback",
        params: CodeParams,
        body: RateFeedback.meta({
          id: 'FeedbackRating',
          examples: [{ satisfaction: 'satisfied', comment: 'Được trả lời rõ ràng' }],
        }),
        response: { 200: Feedback, ...errorResponses(403, 404, 409) },
      },
    },
    async (request, reply) => {
      const f = await rateFeedback(intakeContext(deps, request), request.params.code, request.body);
      return reply.header('etag', etagOf(f.version)).send(toFeedback(f, deps.clock()));
    },
  );

  app.get(
    '/v1/feedback/:code/history',
    {
      schema: {
        'x-access': { roles: OFFICERS, agencyScoped: true },
        operationId: 'getFeedbackHistory',
        tags: ['feedback'],
        summary:
          'The audit trail of a feedback: every change, who (role, agency), when, from and to which status',
        params: CodeParams,
        response: {
          200: z
            .object({
              items: z.array(trailEntry(FeedbackStatus)),
            })
            .meta({
              examples: [
                {
                  items: [
                    {
                      version: 1,
                      action: 'receive',
                      fromStatus: null,
                      toStatus: 'received',
                      actor: 'officer-1',
                      actorRole: 'desk_officer',
                      actorAgency: '000.20.17.H55',
                      actorName: 'Nguyễn Thị Lan',
                      at: '2026-11-27T02:00:00.000Z',
                      payload: {
                        kind: 'handling',
                        dueAt: '2026-12-11T10:00:00.000Z',
                        ruleSet: 'ND118-2025',
                        handlingWorkingDays: 10,
                      },
                    },
                  ],
                },
              ],
            }),
          ...errorResponses(403, 404),
        },
      },
    },
    async (request) => {
      const f = await readableFeedback(request, request.params.code);
      const rows = await listFeedbackHistory(db, f.id);
      return {
        items: rows.map((h) => toTrailEntry(h, h.feedback_version)),
      };
    },
  );
}
