import { createHash } from 'node:crypto';
import { addDays, vnDate, vnInstant } from '@tthc/calendar';
import { DossierStatus } from '@tthc/contracts';
import { withTransaction } from '@tthc/db';
import {
  decodeInstantId,
  encodeInstantId,
  errorResponses,
  listScope,
  PageQuery,
  problems,
  requireFilterWithinScope,
  scopeOf,
  type ServiceApp,
} from '@tthc/service-kit';
import { z } from 'zod';
import { intakeContext } from '../commands/context';
import { receiveDossier } from '../commands/receive.command';
import { readDossier } from '../commands/dossier-read.command';
import { countDossiers, listDossiers, listHistory } from '../db/dossier.repository';
import { findRating, listPayments, listSupplements } from '../db/facts.repository';
import { logPersonalDataAccess } from '../db/access.repository';
import { findStoredResponse, lockKey, storeResponse } from '../db/idempotency.repository';
import type { AppDeps } from '../deps';
import { seesPersonalData } from '../access';
import { ReceiveDossier } from '../domain/dossier-input';
import { clockRunning, RUNNING_STATUSES } from '../domain/dossier-clock';
import { STATUS_CODES } from '../domain/lifecycle';
import { Dossier, DossierStep, DossierSummary, etagOf, STATUS_LABELS, toDossier, toStep, toSummary } from './dossier.schemas';

const CodeParams = z.object({ code: z.string().max(80) });
const instant = z.iso.datetime({ offset: true });

const ListQuery = z.object({
  status: z
    .string()
    .max(300)
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(DossierStatus))
    .optional()
    .meta({ description: 'comma-separated statuses' }),
  agencyCode: z.string().max(35).optional(),
  unit: z.string().max(200).optional(),
  officer: z.string().max(200).optional(),
  fieldCode: z.string().max(30).optional(),
  procedureCode: z.string().max(20).optional(),
  channel: z.enum(['direct', 'online', 'postal']).optional(),
  receivedFrom: instant.optional(),
  receivedBefore: instant.optional(),
  dueFrom: instant.optional(),
  dueBefore: instant.optional(),
  overdue: z.enum(['true']).optional().meta({ description: 'only open dossiers whose due date is before today' }),
  dueWithinWorkingDays: z.coerce.number().int().min(0).max(60).optional().meta({ description: 'open dossiers due within N working days' }),
  q: z.string().max(100).optional(),
  sort: z.enum(['received', 'due']).default('received'),
  count: z.enum(['true', 'false']).optional(),
  ...PageQuery,
});


export function dossierRoutes(app: ServiceApp, deps: AppDeps): void {
  app.post(
    '/v1/dossiers',
    {
      schema: {
        operationId: 'fileDossier',
        tags: ['dossiers'],
        summary: 'File a dossier: from the portal (submitted) or at the desk (received, with its due date)',
        description: 'An Idempotency-Key header makes a retried request return the first answer and create nothing new.',
        headers: z.object({ 'idempotency-key': z.string().min(8).max(100).optional() }),
        body: ReceiveDossier.meta({
          id: 'FileDossier',
          examples: [
            {
              procedureCode: '1.004579',
              source: 'desk',
              channel: 'direct',
              applicant: { kind: 'person', fullName: 'Nguyễn Văn An', idNumber: '001085012345', phone: '0912345678' },
              components: [{ name: 'Đơn đề nghị cấp chứng chỉ hành nghề dược', digitized: true }],
            },
          ],
        }),
        response: { 201: Dossier, ...errorResponses(409, 413, 422) },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const ctx = intakeContext(deps, request);
      if (!key) {
        const d = await receiveDossier(ctx, request.body);
        return reply.status(201).header('etag', etagOf(d.version)).send(toDossier(d, deps.clock()));
      }
      const hash = createHash('sha256').update(JSON.stringify(request.body)).digest('hex');
      const scope = `dossiers:${request.identity?.sub ?? 'anonymous'}`;
      const { status, body } = await withTransaction(deps.db, async (tx) => {
        await lockKey(tx, scope, key);
        const stored = await findStoredResponse(tx, scope, key);
        if (stored) {
          if (stored.request_hash !== hash) {
            throw problems.unprocessable('idempotency_key_reused', 'this Idempotency-Key was used with a different request', [
              { in: 'headers', pointer: '/idempotency-key', detail: 'reused with another body' },
            ]);
          }
          return { status: stored.status, body: stored.body as ReturnType<typeof toDossier> };
        }
        const d = await receiveDossier({ ...ctx, db: tx }, request.body);
        const out = toDossier(d, deps.clock());
        await storeResponse(tx, { scope, key, request_hash: hash, status: 201, body: out });
        return { status: 201, body: out };
      });
      return reply.status(status as 201).header('etag', body.etag).send(body);
    },
  );

  app.get(
    '/v1/dossiers',
    {
      schema: {
        operationId: 'listDossiers',
        tags: ['dossiers'],
        summary: "The desk's lists: by status, agency, unit, officer, field, procedure, channel, dates, overdue, due soon",
        querystring: ListQuery,
        response: {
          200: z.object({ items: z.array(DossierSummary), nextCursor: z.string().nullable(), total: z.number().int().optional() }),
          ...errorResponses(403),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const now = deps.clock();
      let dueBefore = q.dueBefore ? new Date(q.dueBefore) : undefined;
      let status = q.status;
      if (q.overdue || q.dueWithinWorkingDays !== undefined) {
        const cal = await deps.calendars.get(deps.db);
        // Overdue now: due before today. Due within N working days: due by the end of the N-th working day.
        // Both read the current appointment (due_at), as the desk works to it; statistics judge against
        // the legal date (domain/deadline.ts, judgedDueDate).
        const limit = q.overdue
          ? vnInstant(vnDate(now), '00:00')
          : vnInstant(addDays(cal.addWorkingDays(vnDate(now), q.dueWithinWorkingDays ?? 0), 1), '00:00');
        dueBefore = dueBefore && dueBefore < limit ? dueBefore : limit;
        // Only a dossier whose clock runs can be overdue or due soon (domain/dossier-clock.ts).
        status = (status ?? [...RUNNING_STATUSES]).filter(clockRunning);
      }
      const scope = scopeOf(request.identity);
      if (q.agencyCode) requireFilterWithinScope(scope, q.agencyCode, { in: 'query', pointer: '/agencyCode' });
      const filter = {
        status,
        visibleTo: listScope(scope),
        agencyCode: q.agencyCode,
        unit: q.unit,
        officer: q.officer,
        fieldCode: q.fieldCode,
        procedureCode: q.procedureCode,
        channel: q.channel,
        receivedFrom: q.receivedFrom ? new Date(q.receivedFrom) : undefined,
        receivedBefore: q.receivedBefore ? new Date(q.receivedBefore) : undefined,
        dueFrom: q.dueFrom ? new Date(q.dueFrom) : undefined,
        dueBefore,
        q: q.q?.replace(/[\\%_]/g, ''),
      };
      const rows = await listDossiers(deps.db, filter, { sort: q.sort, after: decodeInstantId(q.cursor), limit: q.limit });
      const items = rows.slice(0, q.limit);
      const last = items[items.length - 1];
      const key = last ? (q.sort === 'due' ? last.due_at : (last.received_at ?? last.submitted_at)) : null;
      return {
        items: items.map((d) => toSummary(d, now)),
        nextCursor: rows.length > q.limit && last && key ? encodeInstantId(key, last.id) : null,
        ...(q.count === 'true' ? { total: await countDossiers(deps.db, filter) } : {}),
      };
    },
  );

  app.get(
    '/v1/dossiers/:code',
    {
      schema: {
        operationId: 'getDossier',
        tags: ['dossiers'],
        summary: 'A dossier with its applicant, steps, supplements, payments and rating (for its handlers)',
        params: CodeParams,
        response: {
          200: Dossier.extend({
            steps: z.array(DossierStep),
            supplements: z.array(
              z.object({
                requestedAt: instant,
                reason: z.string(),
                items: z.array(z.string()),
                withinLegalWindow: z.boolean(),
                dueAtBefore: instant.nullable(),
                completedAt: instant.nullable(),
                dueAtAfter: instant.nullable(),
              }),
            ),
            payments: z.array(
              z.object({ id: z.uuid(), amount: z.number().int(), method: z.string(), online: z.boolean(), receiptNumber: z.string().nullable(), paidAt: instant }),
            ),
            rating: z.object({ rating: z.string(), comment: z.string().nullable(), ratedAt: instant }).nullable(),
          }),
          ...errorResponses(403, 404),
        },
      },
    },
    async (request, reply) => {
      const { d, steps, access } = await readDossier(deps.db, scopeOf(request.identity), request.params.code);
      // An agency whose step is done keeps the dossier for its records, not the applicant's contact.
      const personal = seesPersonalData(request.identity) && access !== 'read';
      if (personal) await logPersonalDataAccess(deps.db, request.identity, { dossier_id: d.id }, 'read dossier');
      const now = deps.clock();
      const [supplements, payments, rating] = await Promise.all([
        listSupplements(deps.db, d.id),
        listPayments(deps.db, d.id),
        findRating(deps.db, d.id),
      ]);
      const iso = (x: Date | null) => (x ? x.toISOString() : null);
      return reply.header('etag', etagOf(d.version)).send({
        ...toDossier(d, now, personal),
        steps: steps.map((s) => toStep(s, now)),
        supplements: supplements.map((s) => ({
          requestedAt: s.requested_at.toISOString(),
          reason: s.reason,
          items: s.items as string[],
          withinLegalWindow: s.within_legal_window,
          dueAtBefore: iso(s.due_at_before),
          completedAt: iso(s.completed_at),
          dueAtAfter: iso(s.due_at_after),
        })),
        payments: payments.map((p) => ({
          id: p.id,
          amount: p.amount,
          method: p.method,
          online: p.online,
          receiptNumber: p.receipt_number,
          paidAt: p.paid_at.toISOString(),
        })),
        rating: rating ? { rating: rating.rating, comment: rating.comment, ratedAt: rating.rated_at.toISOString() } : null,
      });
    },
  );

  app.get(
    '/v1/dossiers/:code/history',
    {
      schema: {
        operationId: 'getDossierHistory',
        tags: ['dossiers'],
        summary: 'The audit trail: every change, who (role, agency), when, from and to which status, what changed',
        params: CodeParams,
        response: {
          200: z
            .object({
              items: z.array(
                z.object({
                  version: z.number().int(),
                  action: z.string(),
                  fromStatus: DossierStatus.nullable(),
                  toStatus: DossierStatus,
                  toStatusCode: z.number().int(),
                  toStatusLabel: z.string(),
                  actor: z.string(),
                  actorRole: z.string().nullable(),
                  actorAgency: z.string().nullable(),
                  at: instant,
                  payload: z.record(z.string(), z.unknown()),
                }),
              ),
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
                      toStatusCode: 2,
                      toStatusLabel: 'Được tiếp nhận',
                      actor: 'officer-1',
                      actorRole: 'desk_officer',
                      actorAgency: '000.20.17.H55',
                      at: '2026-11-23T02:15:00.000Z',
                      payload: { channel: 'direct' },
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
      const { d } = await readDossier(deps.db, scopeOf(request.identity), request.params.code);
      const rows = await listHistory(deps.db, d.id);
      return {
        items: rows.map((h) => ({
          version: h.dossier_version,
          action: h.action,
          fromStatus: h.from_status,
          toStatus: h.to_status,
          toStatusCode: STATUS_CODES[h.to_status],
          toStatusLabel: STATUS_LABELS[h.to_status],
          actor: h.actor,
          actorRole: h.actor_role,
          actorAgency: h.actor_agency,
          at: h.at.toISOString(),
          payload: h.payload as Record<string, unknown>,
        })),
      };
    },
  );
}
