import { vnDate } from '@tthc/calendar';
import { AgencyCode } from '@tthc/contracts';
import {
  decodeKeyset,
  encodeKeyset,
  errorResponses,
  IfMatchHeader,
  keysetPage,
  PageQuery,
  parseIfMatch,
  scopeOf,
  type ServiceApp,
  callerOf,
} from '@tthc/service-kit';
import { z } from 'zod';
import { requireAgency } from '../access/reform-access';
import { actorOf } from '../db/audit.repository';
import { listEntries, listTasks, registerCounts, taskDates } from '../db/plan.repository';
import type { AppDeps } from '../deps';
import { kpiCalendar } from '../domain/working-calendar';
import { changeEntry, changeTask, createEntry, createTask } from '../plan/plan.commands';
import { planCounts } from '../plan/plan-counts';
import {
  PlanCountsOut,
  PlanTaskIn,
  PlanTaskOut,
  PlanTaskPage,
  RegisterIn,
  RegisterOut,
  RegisterPage,
} from './plan.schemas';

const Year = z.coerce.number().int().min(2000).max(2100);

/** The agencies a list reads: the one asked for (within scope), else the caller's scope (null: all). */
function agenciesOf(
  identity: Parameters<typeof scopeOf>[0],
  agencyCode: string | undefined,
): readonly string[] | null {
  if (agencyCode === undefined) return scopeOf(identity);
  return [agencyCode];
}

export function planRoutes(app: ServiceApp, deps: AppDeps): void {
  app.get(
    '/v1/kpi/plan-tasks',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader'], agencyScoped: true },
        operationId: 'listPlanTasks',
        tags: ['kpi'],
        summary: 'The tasks of the yearly reform plans you may see, by due date',
        querystring: z.object({
          year: Year,
          agencyCode: AgencyCode.optional(),
          status: z.enum(['not_started', 'in_progress', 'done']).optional(),
          origin: z
            .enum(['own', 'province'])
            .optional()
            .meta({ description: 'own tasks or those the province assigned; default both' }),
          ...PageQuery,
        }),
        response: { 200: PlanTaskPage, ...errorResponses(403) },
      },
    },
    async (request) => {
      const { year, agencyCode, status, origin, limit, cursor } = request.query;
      const key = decodeKeyset(cursor, 2);
      const rows = await listTasks(
        deps.db,
        { agencyCodes: agenciesOf(request.identity, agencyCode), year, status, origin },
        key ? { dueOn: key[0] ?? '', id: key[1] ?? '' } : undefined,
        limit + 1,
      );
      const { rows: items, nextCursor } = keysetPage(rows, limit, (last) =>
        encodeKeyset([last.dueOn, last.id]),
      );
      return { items, nextCursor };
    },
  );

  app.post(
    '/v1/kpi/plan-tasks',
    {
      schema: {
        'x-access': { roles: ['leader'], agencyScoped: true, agencyInBody: true },
        operationId: 'addPlanTask',
        'x-idempotent': true,
        tags: ['kpi'],
        summary:
          'Add a task to an agency’s yearly reform plan, its own or assigned by the province (leaders; audited)',
        body: PlanTaskIn,
        response: { 201: PlanTaskOut, ...errorResponses(403, 422) },
      },
    },
    async (request, reply) => {
      const identity = callerOf(request);
      return reply.status(201).send(await createTask(deps.db, actorOf(identity), request.body));
    },
  );

  app.put(
    '/v1/kpi/plan-tasks/:id',
    {
      schema: {
        'x-access': { roles: ['leader'], agencyScoped: true },
        operationId: 'changePlanTask',
        tags: ['kpi'],
        summary:
          'Change a plan task: status, completion date, documents (leaders; If-Match: its version; audited)',
        params: z.object({ id: z.uuid().meta({ description: 'the plan task' }) }),
        headers: IfMatchHeader,
        body: PlanTaskIn,
        response: { 200: PlanTaskOut, ...errorResponses(403, 404, 412, 422) },
      },
    },
    async (request) => {
      const identity = callerOf(request);
      return changeTask(
        deps.db,
        actorOf(identity),
        request.params.id,
        request.body,
        parseIfMatch(request.headers['if-match']),
        (code) => requireAgency(identity, code, '/agencyCode'),
      );
    },
  );

  app.get(
    '/v1/kpi/plan-tasks/counts',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader'], agencyScoped: true },
        operationId: 'getPlanCounts',
        tags: ['kpi'],
        summary:
          'Plan tasks total, done, in progress and overdue on a day (working-day calendar), and the registers’ counts of the year to that day',
        querystring: z.object({
          agencyCode: AgencyCode.optional().meta({ description: 'default: your own agency' }),
          on: z.iso.date().optional().meta({
            description: 'judged at the end of this day; absent: now (due today is not yet overdue)',
          }),
          year: Year.optional().meta({ description: 'the plan’s year; default: the year of the day' }),
        }),
        response: { 200: PlanCountsOut, ...errorResponses(403) },
      },
    },
    async (request) => {
      const { agencyCode, on, year } = request.query;
      const agency = agencyCode ?? request.identity?.agencyCode ?? undefined;
      const agencies = agenciesOf(request.identity, agency);
      const day = on ?? vnDate(deps.clock());
      const planYear = year ?? Number(day.slice(0, 4));
      const tasks = await taskDates(deps.db, agencies, planYear);
      const at: 'now' | 'end_of_day' = on === undefined ? 'now' : 'end_of_day';
      const cal = kpiCalendar();
      return {
        on: day,
        judged: at,
        agencies: agencies === null ? [] : [...agencies],
        year: planYear,
        all: planCounts(tasks, day, cal, at),
        own: planCounts(
          tasks.filter((t) => t.origin === 'own'),
          day,
          cal,
          at,
        ),
        province: planCounts(
          tasks.filter((t) => t.origin === 'province'),
          day,
          cal,
          at,
        ),
        registers: await registerCounts(deps.db, agencies, `${planYear}-01-01`, day),
      };
    },
  );

  app.get(
    '/v1/kpi/reform-registers',
    {
      schema: {
        'x-access': { roles: ['reporter', 'leader'], agencyScoped: true },
        operationId: 'listReformRegisters',
        tags: ['kpi'],
        summary: 'Documents issued on reform, inspections carried out, communication activities, by date',
        querystring: z.object({
          agencyCode: AgencyCode.optional(),
          kind: z.enum(['document', 'inspection', 'communication']).optional(),
          from: z.iso.date(),
          to: z.iso.date(),
          ...PageQuery,
        }),
        response: { 200: RegisterPage, ...errorResponses(403) },
      },
    },
    async (request) => {
      const { agencyCode, kind, from, to, limit, cursor } = request.query;
      const key = decodeKeyset(cursor, 2);
      const rows = await listEntries(
        deps.db,
        { agencyCodes: agenciesOf(request.identity, agencyCode), kind, from, to },
        key ? { onDate: key[0] ?? '', id: key[1] ?? '' } : undefined,
        limit + 1,
      );
      const { rows: items, nextCursor } = keysetPage(rows, limit, (last) =>
        encodeKeyset([last.onDate, last.id]),
      );
      return { items, nextCursor };
    },
  );

  app.post(
    '/v1/kpi/reform-registers',
    {
      schema: {
        'x-access': { roles: ['leader'], agencyScoped: true, agencyInBody: true },
        operationId: 'addReformRegisterEntry',
        'x-idempotent': true,
        tags: ['kpi'],
        summary: 'Record a reform document, inspection or communication activity (leaders; audited)',
        body: RegisterIn,
        response: { 201: RegisterOut, ...errorResponses(403, 422) },
      },
    },
    async (request, reply) => {
      const identity = callerOf(request);
      return reply.status(201).send(await createEntry(deps.db, actorOf(identity), request.body));
    },
  );

  app.put(
    '/v1/kpi/reform-registers/:id',
    {
      schema: {
        'x-access': { roles: ['leader'], agencyScoped: true },
        operationId: 'changeReformRegisterEntry',
        tags: ['kpi'],
        summary: 'Change a register entry (leaders; If-Match: its version; audited)',
        params: z.object({ id: z.uuid().meta({ description: 'the register entry' }) }),
        headers: IfMatchHeader,
        body: RegisterIn,
        response: { 200: RegisterOut, ...errorResponses(403, 404, 412, 422) },
      },
    },
    async (request) => {
      const identity = callerOf(request);
      return changeEntry(
        deps.db,
        actorOf(identity),
        request.params.id,
        request.body,
        parseIfMatch(request.headers['if-match']),
        (code) => requireAgency(identity, code, '/agencyCode'),
      );
    },
  );
}
