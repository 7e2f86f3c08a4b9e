import { vnDate } from '@tthc/calendar';
import { AgencyCode } from '@tthc/contracts';
import {
  errorResponses,
  PageQuery,
  problems,
  scopeOf,
  type ServiceApp,
  keysetPage,
  callerOf,
} from '@tthc/service-kit';
import { z } from 'zod';
import { requireAgency } from '../access/reform-access';
import { actorOf, auditTrail } from '../db/audit.repository';
import type { AppDeps } from '../deps';
import { readSheet, XLSX_TYPE } from '../sheets/read-sheet';
import { engineIndicators } from '../targets/indicator-catalogue';
import { scorecard } from '../targets/scorecard';
import { TARGET_COLUMNS, targetFromRow } from '../targets/target-sheet';
import { importTargets, removeTarget, setTarget } from '../targets/targets.commands';
import { listTargets } from '../db/target.repository';
import { asProblem, booleanQuery, FigureQuery } from './figure-query';
import {
  AuditOut,
  IndicatorCatalogue,
  Scorecard,
  TargetImportOut,
  TargetIn,
  TargetList,
  TargetOut,
} from './targets.schemas';

const MAX_SHEET_BYTES = 5 * 1024 * 1024;

export function targetRoutes(app: ServiceApp, deps: AppDeps): void {
  app.get(
    '/v1/kpi/target-indicators',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader', 'assessor'], agencyScoped: false },
        operationId: 'listTargetIndicators',
        tags: ['kpi'],
        summary:
          'What a target or a computed framework criterion may name: criteria and figures of the engine',
        response: { 200: IndicatorCatalogue, ...errorResponses(403) },
      },
    },
    async () => ({ items: engineIndicators() }),
  );

  app.get(
    '/v1/kpi/targets',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader'], agencyScoped: true },
        operationId: 'listTargets',
        tags: ['kpi'],
        summary: 'The yearly targets of the agencies you may see (or of one agency)',
        querystring: z.object({
          year: z.coerce.number().int().min(2000).max(2100),
          agencyCode: AgencyCode.optional(),
        }),
        response: { 200: TargetList, ...errorResponses(403) },
      },
    },
    async (request) => {
      const { year, agencyCode } = request.query;
      const scope = scopeOf(request.identity);
      return { items: await listTargets(deps.db, year, agencyCode ? [agencyCode] : scope) };
    },
  );

  app.put(
    '/v1/kpi/targets',
    {
      schema: {
        'x-access': { roles: ['leader'], agencyScoped: true, agencyInBody: true },
        operationId: 'setTarget',
        tags: ['kpi'],
        summary: 'Set or change the target of an agency for a year and indicator (leaders; audited)',
        body: TargetIn,
        response: { 200: TargetOut, ...errorResponses(403, 422) },
      },
    },
    async (request) => {
      const identity = callerOf(request);
      return setTarget(deps.db, actorOf(identity), request.body);
    },
  );

  app.delete(
    '/v1/kpi/targets/:id',
    {
      schema: {
        'x-access': { roles: ['leader'], agencyScoped: true },
        operationId: 'removeTarget',
        tags: ['kpi'],
        summary: 'Remove a target (leaders; audited)',
        params: z.object({ id: z.uuid().meta({ description: 'the target' }) }),
        response: { 204: z.null().meta({ description: 'removed' }), ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      const identity = callerOf(request);
      await removeTarget(deps.db, actorOf(identity), request.params.id, (t) =>
        requireAgency(identity, t.agencyCode, '/id', 'params'),
      );
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/kpi/targets/import',
    {
      bodyLimit: MAX_SHEET_BYTES,
      schema: {
        'x-access': { roles: ['leader'], agencyScoped: true },
        operationId: 'importTargets',
        tags: ['kpi'],
        summary:
          'Import targets from XLSX, all rows or none; errors name the row and column (/rows/{row}/{column})',
        description: `Send the workbook as the body with Content-Type ${XLSX_TYPE}. First sheet, header row: agencyCode (Mã cơ quan), year (Năm), indicator (Chỉ số), comparator (So sánh: at_least, at_most, equal, >=, <=, =), value (Giá trị), note (Ghi chú).`,
        querystring: z.object({
          year: z.coerce
            .number()
            .int()
            .min(2000)
            .max(2100)
            .optional()
            .meta({ description: 'for rows without a year' }),
        }),
        response: { 200: TargetImportOut, ...errorResponses(403, 413, 415, 422) },
      },
    },
    async (request) => {
      const identity = callerOf(request);
      const rows = await sheetRows(request.headers['content-type'], request.body, TARGET_COLUMNS);
      const items = await importTargets(
        deps.db,
        actorOf(identity),
        rows.map((r) => targetFromRow(r, request.query.year)),
        (code, pointer) => requireAgency(identity, code, pointer),
      );
      return { imported: items.length, items };
    },
  );

  app.get(
    '/v1/kpi/scorecards',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader'], agencyScoped: true },
        operationId: 'getScorecard',
        tags: ['kpi'],
        summary:
          'An agency’s targets for a period within a year: actual value, met or not, gap, the monthly trend; its sub-agencies side by side',
        querystring: FigureQuery.pick({ period: true, from: true, to: true, basis: true }).extend({
          period: z.string().max(20).optional().meta({
            description:
              'YYYY, YYYY-MM, YYYY-Qn or YYYY-Hn within one year; or from and to; neither: the year so far',
            example: '2026-Q1',
          }),
          agencyCode: AgencyCode.optional().meta({
            description:
              'default: your own agency; a province-wide reader naming none: every agency with targets',
          }),
          subAgencies: booleanQuery('true').meta({
            description: 'add the scorecards of the agencies below it',
          }),
        }),
        response: { 200: Scorecard, ...errorResponses(403, 404, 422) },
      },
    },
    async (request) => {
      try {
        return await scorecard(deps.db, request.identity, request.query, vnDate(deps.clock()));
      } catch (err) {
        throw asProblem(err);
      }
    },
  );

  app.get(
    '/v1/kpi/reform-audit',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader'], agencyScoped: true },
        operationId: 'listReformAudit',
        tags: ['kpi'],
        summary:
          'Who changed targets, frameworks, scores, plan tasks and registers, when and what (newest first)',
        querystring: z.object({
          entity: z
            .enum(['target', 'framework', 'manual_score', 'framework_result', 'plan_task', 'register'])
            .optional()
            .meta({ description: 'only the changes of this kind of record' }),
          entityId: z.string().max(200).optional().meta({ description: 'only the changes of this record' }),
          ...PageQuery,
        }),
        response: { 200: AuditOut, ...errorResponses(403) },
      },
    },
    async (request) => {
      const { entity, entityId, limit, cursor } = request.query;
      const before = cursor === undefined ? undefined : Number(cursor);
      if (before !== undefined && !Number.isInteger(before))
        throw problems.badRequest('invalid_cursor', 'not a cursor of this list');
      const rows = await auditTrail(
        deps.db,
        { entity, entityId, agencyCodes: scopeOf(request.identity) },
        before,
        limit + 1,
      );
      const { rows: items, nextCursor } = keysetPage(rows, limit, (last) => String(last.id));
      return { items: items.map((r) => ({ ...r, at: r.at.toISOString() })), nextCursor };
    },
  );
}

/** Reads an XLSX body (415 for another type, 400 for a file that does not open). */
export async function sheetRows(
  contentType: string | undefined,
  body: unknown,
  columns: Record<string, string>,
) {
  const type = (contentType ?? '').split(';')[0]?.trim();
  if (type !== XLSX_TYPE || !Buffer.isBuffer(body))
    throw problems.badRequest('unsupported_spreadsheet', `send the workbook with Content-Type ${XLSX_TYPE}`);
  try {
    return await readSheet(body, columns);
  } catch (err) {
    throw problems.badRequest(
      'unreadable_spreadsheet',
      `the file could not be read: ${(err as Error).message}`,
    );
  }
}

/** Registers the XLSX body parser once for the reform routes' imports. */
export function acceptSheets(app: ServiceApp): void {
  app.addContentTypeParser(XLSX_TYPE, { parseAs: 'buffer', bodyLimit: MAX_SHEET_BYTES }, (_req, body, done) =>
    done(null, body),
  );
}
