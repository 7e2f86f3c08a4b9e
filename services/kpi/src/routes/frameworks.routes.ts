import { vnDate } from '@tthc/calendar';
import { errorResponses, problems, type ServiceApp, ADMIN_ONLY, callerOf } from '@tthc/service-kit';
import { z } from 'zod';
import { actorOf } from '../db/audit.repository';
import type { AppDeps } from '../deps';
import { FrameworkBody, FrameworkCode, type FrameworkNode } from '../frameworks/framework';
import {
  changeFramework,
  createFramework,
  enterScore,
  frameworkResult,
  publishResult,
  requireFramework,
} from '../frameworks/framework.commands';
import { getFramework, listFrameworks, type StoredFramework } from '../db/framework.repository';
import { FRAMEWORK_COLUMNS, frameworkFromRows } from '../frameworks/framework-sheet';
import { XLSX_TYPE } from '../sheets/read-sheet';
import {
  FrameworkKey,
  FrameworkList,
  FrameworkOut,
  frameworkExample,
  FrameworkResultOut,
  ResultParams,
  ScoreIn,
} from './frameworks.schemas';
import { sheetRows } from './targets.routes';

const toApi = (f: StoredFramework) => ({
  code: f.code,
  year: f.year,
  name: f.name,
  areas: f.areas,
  version: f.version,
  updatedBy: f.updatedBy,
  updatedAt: f.updatedAt.toISOString(),
});

export function frameworkRoutes(app: ServiceApp, deps: AppDeps): void {
  const today = () => vnDate(deps.clock());

  app.get(
    '/v1/kpi/frameworks',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader', 'assessor'], agencyScoped: false },
        operationId: 'listFrameworks',
        tags: ['kpi'],
        summary: 'Reform-index frameworks held, per code and year',
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }),
        response: { 200: FrameworkList, ...errorResponses(403) },
      },
    },
    async (request) => ({
      items: (await listFrameworks(deps.db, request.query.year)).map((f) => ({
        code: f.code,
        year: f.year,
        name: f.name,
        version: f.version,
      })),
    }),
  );

  app.post(
    '/v1/kpi/frameworks',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'createFramework',
        'x-idempotent': true,
        tags: ['kpi'],
        summary:
          'Create a reform-index framework for a year: areas, criteria and sub-criteria with maximum points, each criterion computed or manual (administrators)',
        body: FrameworkBody.meta({ id: 'FrameworkIn', examples: [frameworkExample] }),
        response: { 201: FrameworkOut, ...errorResponses(403, 409, 422) },
      },
    },
    async (request, reply) => {
      const identity = callerOf(request);
      return reply.status(201).send(toApi(await createFramework(deps.db, actorOf(identity), request.body)));
    },
  );

  app.post(
    '/v1/kpi/frameworks/import',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'importFramework',
        'x-idempotent': true,
        tags: ['kpi'],
        summary:
          'Create or change a framework from XLSX, one row per area or criterion; errors name the row and column (/rows/{row}/{column}); nothing half-imported',
        description: `Send the workbook as the body with Content-Type ${XLSX_TYPE}. First sheet, header row: code (Mã: 6, 6.1, 6.1.2), name (Tên), maxPoints (Điểm tối đa), scoring (Cách chấm: manual or computed, on criteria without children), indicator (Chỉ số), rule (Quy tắc: linear, thresholds, bands), parameters (Tham số: "80"; "57:1; 90:1.5"; "0-50:0.25; 50-:1").`,
        querystring: z.object({
          code: FrameworkCode.meta({ description: 'the code the imported framework takes' }),
          year: z.coerce.number().int().min(2000).max(2100).meta({ description: 'the year it scores' }),
          name: z
            .string()
            .transform((s) => s.normalize('NFC').trim())
            .pipe(z.string().min(1).max(300))
            .meta({ description: 'its name (Vietnamese)' }),
        }),
        response: { 200: FrameworkOut, 201: FrameworkOut, ...errorResponses(403, 409, 415, 422) },
      },
    },
    async (request, reply) => {
      const identity = callerOf(request);
      const rows = await sheetRows(request.headers['content-type'], request.body, FRAMEWORK_COLUMNS);
      const { areas, problems: found } = frameworkFromRows(rows);
      if (found.length > 0)
        throw problems.unprocessable(
          'import_rejected',
          `${found.length} problem(s) in the sheet; nothing was imported`,
          found.map((p) => ({ in: 'body' as const, ...p })),
        );
      const body = { ...request.query, areas: areas as FrameworkNode[] };
      const exists = await getFramework(deps.db, body.code, body.year);
      const stored = exists
        ? await changeFramework(deps.db, actorOf(identity), body)
        : await createFramework(deps.db, actorOf(identity), body);
      return reply.status(exists ? 200 : 201).send(toApi(stored));
    },
  );

  app.get(
    '/v1/kpi/frameworks/:code/:year',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader', 'assessor'], agencyScoped: false },
        operationId: 'getFramework',
        tags: ['kpi'],
        summary: 'A framework: its tree of areas and criteria with maxima and scoring',
        params: FrameworkKey,
        response: { 200: FrameworkOut, ...errorResponses(403, 404) },
      },
    },
    async (request) => toApi(await requireFramework(deps.db, request.params.code, request.params.year)),
  );

  app.put(
    '/v1/kpi/frameworks/:code/:year',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'changeFramework',
        tags: ['kpi'],
        summary: 'Change a framework’s tree while none of its results is published (administrators; audited)',
        params: FrameworkKey,
        body: FrameworkBody.pick({ name: true, areas: true }).meta({
          examples: [{ name: frameworkExample.name, areas: frameworkExample.areas }],
        }),
        response: { 200: FrameworkOut, ...errorResponses(403, 404, 409, 422) },
      },
    },
    async (request) => {
      const identity = callerOf(request);
      return toApi(await changeFramework(deps.db, actorOf(identity), { ...request.params, ...request.body }));
    },
  );

  app.post(
    '/v1/kpi/frameworks/:code/:year/copy',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'copyFramework',
        'x-idempotent': true,
        tags: ['kpi'],
        summary:
          'Start another year’s framework from this one (the same tree, changeable until a result of it is published; administrators)',
        params: FrameworkKey,
        body: z
          .object({ toYear: z.number().int().min(2000).max(2100) })
          .meta({ examples: [{ toYear: 2027 }] }),
        response: { 201: FrameworkOut, ...errorResponses(403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const identity = callerOf(request);
      const from = await requireFramework(deps.db, request.params.code, request.params.year);
      const copy = { code: from.code, year: request.body.toYear, name: from.name, areas: from.areas };
      return reply.status(201).send(toApi(await createFramework(deps.db, actorOf(identity), copy)));
    },
  );

  app.post(
    '/v1/kpi/frameworks/:code/:year/scores',
    {
      schema: {
        'x-access': { roles: ['assessor'], agencyScoped: true, agencyInBody: true },
        operationId: 'enterManualScore',
        tags: ['kpi'],
        summary:
          'Enter an assessor’s score of a manual criterion for an agency, with evidence: a self-assessment, or an appraisal that wins over it; answers the agency’s rolled-up result',
        params: FrameworkKey,
        body: ScoreIn,
        response: { 200: FrameworkResultOut, ...errorResponses(403, 404, 409, 422) },
      },
    },
    async (request) => {
      const identity = callerOf(request);
      const { code, year } = request.params;
      await enterScore(deps.db, identity, actorOf(identity), code, year, request.body, deps.clock());
      const f = await requireFramework(deps.db, code, year);
      return frameworkResult(deps.db, f, request.body.agencyCode, today());
    },
  );

  app.get(
    '/v1/kpi/frameworks/:code/:year/results/:agencyCode',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader', 'assessor'], agencyScoped: true },
        operationId: 'getFrameworkResult',
        tags: ['kpi'],
        summary:
          'An agency’s result in a framework: each criterion’s points (computed, appraised or self-assessed) rolled up the tree; the frozen result once published',
        params: ResultParams,
        response: { 200: FrameworkResultOut, ...errorResponses(403, 404) },
      },
    },
    async (request) => {
      const { code, year, agencyCode } = request.params;
      return frameworkResult(deps.db, await requireFramework(deps.db, code, year), agencyCode, today());
    },
  );

  app.post(
    '/v1/kpi/frameworks/:code/:year/results/:agencyCode/publish',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'publishFrameworkResult',
        tags: ['kpi'],
        summary:
          'Publish an agency’s result for the year: stored as computed now and answered as stored from then on (administrators)',
        params: ResultParams,
        response: { 200: FrameworkResultOut, ...errorResponses(403, 404, 409) },
      },
    },
    async (request) => {
      const identity = callerOf(request);
      const { code, year, agencyCode } = request.params;
      const f = await requireFramework(deps.db, code, year);
      return publishResult(deps.db, actorOf(identity), f, agencyCode, today(), deps.clock());
    },
  );
}
