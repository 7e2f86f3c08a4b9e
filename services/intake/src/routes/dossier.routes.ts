import { addDays, vnDate, vnInstant } from '@tthc/calendar';
import { DossierStatus } from '@tthc/contracts';
import {
  decodeInstantId,
  encodeInstantId,
  errorResponses,
  ETAG_HEADER,
  IdempotencyKeyHeader,
  idempotencyScope,
  keysetPage,
  listPage,
  listScope,
  PageQuery,
  routeAccess,
  scopeOf,
  seesPersonalData,
  type ServiceApp,
  OFFICERS,
} from '@tthc/service-kit';
import { z } from 'zod';
import { intakeContext } from '../commands/context';
import { fileByExternalId, fileOnce, receiveDossier } from '../commands/receive.command';
import { readDossier } from '../commands/dossier-read.command';
import { countDossiers, listDossiers, listHistory, type DossierRow } from '../db/dossier.repository';
import { findRating, listPayments, listSupplements } from '../db/facts.repository';
import { logPersonalDataAccess } from '../db/access.repository';
import type { AppDeps } from '../deps';
import { ReceiveDossier } from '../domain/dossier-input';
import { clockRunning, overdueNowCutoff, RUNNING_STATUSES } from '../domain/dossier-clock';
import { STATUS_CODES } from '../domain/lifecycle';
import { toTrailEntry, trailEntry } from './trail.schemas';
import {
  Dossier,
  DossierDetail,
  DossierSummary,
  etagOf,
  STATUS_LABELS,
  toDossier,
  toDossierDetail,
  toSummary,
} from './dossier.schemas';

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
  overdue: z
    .enum(['true'])
    .optional()
    .meta({ description: 'only open dossiers whose due date is before today' }),
  dueWithinWorkingDays: z.coerce
    .number()
    .int()
    .min(0)
    .max(60)
    .optional()
    .meta({ description: 'open dossiers due within N working days' }),
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
        'x-access': { roles: ['portal', 'desk_officer'], agencyScoped: true },
        operationId: 'fileDossier',
        'x-location': '/v1/dossiers/{code}',
        tags: ['dossiers'],
        summary: 'File a dossier: from the portal (submitted) or at the desk (received, with its due date)',
        description:
          'An Idempotency-Key header makes a retried request return the first answer and create nothing new. A portal submission names itself with `sourcePortal` and `externalId`: a second POST with the same pair answers 200 with the dossier the first made (its state now) and creates nothing.',
        headers: IdempotencyKeyHeader,
        body: ReceiveDossier.meta({
          id: 'FileDossier',
          examples: [
            {
              procedureCode: '1.004579',
              source: 'desk',
              channel: 'direct',
              applicant: {
                kind: 'person',
                fullName: 'Nguyễn Văn An',
                idNumber: '001085012345',
                phone: '0912345678',
              },
              components: [{ name: 'Đơn đề nghị cấp chứng chỉ hành nghề dược', digitized: true }],
            },
          ],
        }),
        response: {
          201: Dossier,
          200: Dossier,
          ...errorResponses(409, 413, 422),
        },
      },
    },
    async (request, reply) => {
      const ctx = intakeContext(deps, request);
      const answer = (d: DossierRow) => toDossier(d, deps.clock());
      const key = request.headers['idempotency-key'];
      const { status, body } = await fileByExternalId(
        ctx,
        request.body,
        async () =>
          key
            ? fileOnce(ctx, request.body, { scope: idempotencyScope(request, 'dossiers'), key }, answer)
            : { status: 201, body: answer(await receiveDossier(ctx, request.body)) },
        answer,
      );
      return reply
        .status(status as 201)
        .header('etag', body.etag)
        .send(body);
    },
  );

  app.get(
    '/v1/dossiers',
    {
      schema: {
        'x-access': { roles: OFFICERS, agencyScoped: true },
        operationId: 'listDossiers',
        tags: ['dossiers'],
        summary:
          "The desk's lists: by status, agency, unit, officer, field, procedure, channel, dates, overdue, due soon",
        querystring: ListQuery,
        response: {
          200: listPage(DossierSummary),
          ...errorResponses(403),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const now = deps.clock();
      let dueBefore = q.dueBefore ? new Date(q.dueBefore) : undefined;
      let dueFrom = q.dueFrom ? new Date(q.dueFrom) : undefined;
      let status = q.status;
      if (q.overdue || q.dueWithinWorkingDays !== undefined) {
        const cal = await deps.calendars.get(deps.db);
        // Overdue now: due before today. Due within N working days: due from today to the end of the
        // N-th working day (what is already overdue is the other list). Both read the current
        // appointment (due_at), as the desk works to it; statistics judge against the legal date
        // (domain/deadline.ts, judgedDueDate).
        const today = overdueNowCutoff(now);
        const limit = q.overdue
          ? today
          : vnInstant(addDays(cal.addWorkingDays(vnDate(now), q.dueWithinWorkingDays ?? 0), 1), '00:00');
        dueBefore = dueBefore && dueBefore < limit ? dueBefore : limit;
        if (!q.overdue) dueFrom = dueFrom && dueFrom > today ? dueFrom : today;
        // Only a dossier whose clock runs can be overdue or due soon (domain/dossier-clock.ts).
        status = (status ?? [...RUNNING_STATUSES]).filter(clockRunning);
      }
      const scope = scopeOf(request.identity);
      // An agencyCode outside the scope was refused before (x-access agencyScoped).
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
        dueFrom,
        dueBefore,
        q: q.q?.replace(/[\\%_]/g, ''),
      };
      const rows = await listDossiers(deps.db, filter, {
        sort: q.sort,
        after: decodeInstantId(q.cursor),
        limit: q.limit,
      });
      const page = keysetPage(rows, q.limit, (last) => {
        const key = q.sort === 'due' ? last.due_at : (last.received_at ?? last.submitted_at);
        return key ? encodeInstantId(key, last.id) : null;
      });
      return {
        items: page.rows.map((d) => toSummary(d, now)),
        nextCursor: page.nextCursor,
        ...(q.count === 'true' ? { total: await countDossiers(deps.db, filter) } : {}),
      };
    },
  );

  app.get(
    '/v1/dossiers/:code',
    {
      schema: {
        'x-access': { roles: OFFICERS, agencyScoped: true, personalData: OFFICERS },
        operationId: 'getDossier',
        tags: ['dossiers'],
        summary: 'A dossier with its applicant, steps, supplements, payments and rating (for its handlers)',
        params: CodeParams,
        'x-response-headers': { 200: { ETag: ETAG_HEADER } },
        response: {
          200: DossierDetail,
          ...errorResponses(403, 404),
        },
      },
    },
    async (request, reply) => {
      const { d, steps, access } = await readDossier(deps.db, scopeOf(request.identity), request.params.code);
      // An agency whose step is done keeps the dossier for its records, not the applicant's contact.
      const personal = seesPersonalData(routeAccess(request), request.identity) && access !== 'read';
      if (personal)
        await logPersonalDataAccess(deps.db, request.identity, { dossier_id: d.id }, 'read dossier');
      const now = deps.clock();
      const [supplements, payments, rating] = await Promise.all([
        listSupplements(deps.db, d.id),
        listPayments(deps.db, d.id),
        findRating(deps.db, d.id),
      ]);
      return reply
        .header('etag', etagOf(d.version))
        .send(toDossierDetail({ d, steps, supplements, payments, rating }, now, personal));
    },
  );

  app.get(
    '/v1/dossiers/:code/history',
    {
      schema: {
        'x-access': { roles: OFFICERS, agencyScoped: true },
        operationId: 'getDossierHistory',
        tags: ['dossiers'],
        summary:
          'The audit trail: every change, who (role, agency), when, from and to which status, what changed',
        params: CodeParams,
        response: {
          200: z
            .object({
              items: z.array(
                trailEntry(DossierStatus).extend({
                  toStatusCode: z.number().int(),
                  toStatusLabel: z.string(),
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
                      actorName: 'Nguyễn Thị Lan',
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
          ...toTrailEntry(h, h.dossier_version),
          toStatusCode: STATUS_CODES[h.to_status],
          toStatusLabel: STATUS_LABELS[h.to_status],
        })),
      };
    },
  );
}
