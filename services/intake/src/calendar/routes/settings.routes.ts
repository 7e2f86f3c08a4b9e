import { CALENDAR_RANGE } from '@tthc/calendar';
import { errorResponses, problems, type ServiceApp, ADMIN_ONLY } from '@tthc/service-kit';
import { z } from 'zod';
import type { CalendarProvider } from '../calendar.cache';
import { loadCalendarYear } from '../commands/calendar-year.command';
import { withTransaction, type Db } from '@tthc/db';
import type { IntakeDb } from '../../db/schema';
import { auditAdmin } from '../../db/access.repository';
import { deleteOverride, insertRuleSet, listOverrides, upsertOverride } from '../db/settings.repository';
import { nfc } from '../../domain/dossier-input';
import { OfficialDaysFile } from '../domain/official-days-table';
import { RuleParams } from '../domain/rule-set';

const Day = z.object({
  date: z.iso.date(),
  name: z.string(),
  kind: z.string(),
  detail: z.string().nullable(),
});
const Override = z
  .object({
    date: z.iso.date(),
    kind: z.enum(['holiday', 'working_day']),
    reason: z.string(),
    source: z.string().nullable(),
    updatedBy: z.string(),
  })
  .meta({
    examples: [
      {
        date: '2026-04-27',
        kind: 'holiday',
        reason: 'Nghỉ bù Giỗ Tổ Hùng Vương',
        source: 'Thông báo 6150/TB-LĐTBXH',
        updatedBy: 'admin.soyte',
      },
    ],
  });

const CalendarYear = z.object({
  year: z.number().int(),
  daysOff: z.array(Day),
  overrides: z.array(Override),
});
const calendarYearExample = {
  year: 2026,
  daysOff: [{ date: '2026-01-01', name: 'Tết Dương lịch', kind: 'statutory', detail: null }],
  overrides: [
    {
      date: '2026-01-10',
      kind: 'working_day',
      reason: 'Làm bù cho thứ Sáu 2/1/2026',
      source: 'VPCP 12729/VPCP-KGVX',
      updatedBy: 'seed',
    },
  ],
};

/** A year as the calendar sees it: the days off it computes with the table, and the table. */
/** What the calendar settings need: the database and the calendar cache to rebuild. */
export interface CalendarDeps {
  db: Db<IntakeDb>;
  calendars: CalendarProvider;
}

async function calendarYear(deps: CalendarDeps, year: number): Promise<z.infer<typeof CalendarYear>> {
  const cal = await deps.calendars.get(deps.db);
  return {
    year,
    daysOff: cal
      .holidays(year)
      .map((h) => ({ date: h.date, name: h.name, kind: h.kind, detail: h.detail ?? null })),
    overrides: (await listOverrides(deps.db, year)).map((o) => ({
      date: o.date,
      kind: o.kind,
      reason: o.reason,
      source: o.source,
      updatedBy: o.updated_by,
    })),
  };
}

export function settingsRoutes(app: ServiceApp, deps: CalendarDeps): void {
  app.get(
    '/v1/calendar/:year',
    {
      schema: {
        'x-access': {
          roles: ['desk_officer', 'processing_officer', 'leader', 'reporter'],
          agencyScoped: false,
        },
        operationId: 'getCalendarYear',
        tags: ['calendar'],
        summary: 'Days off of a year (statutory, compensatory, declared) and the override table behind them',
        params: z.object({ year: z.coerce.number().int().min(2013).max(2199) }),
        response: { 200: CalendarYear.meta({ examples: [calendarYearExample] }), ...errorResponses() },
      },
    },
    async (request) => calendarYear(deps, request.params.year),
  );

  app.put(
    '/v1/calendar/:year/overrides',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'loadCalendarYear',
        tags: ['calendar'],
        summary:
          "Load a year's official days off and worked days from a file of announcements (replaces that year's override table)",
        description:
          'The body has the shape of the shared file of official announcements: ranges `from`–`to` of `day_off` or ' +
          '`working_day`, each with its reason and source. Every entry must fall inside the year, and no date may be in ' +
          'two entries. All or nothing: on any error nothing is written and the answer names each entry at fault. The ' +
          "year's previous rows (seeded or set one by one) are replaced, and recorded in the audit.",
        params: z.object({
          year: z.coerce.number().int().min(CALENDAR_RANGE.firstYear).max(CALENDAR_RANGE.lastYear),
        }),
        body: OfficialDaysFile,
        response: {
          200: CalendarYear.extend({
            replaced: z.number().int().meta({ description: 'override rows of the year before the load' }),
          }).meta({
            examples: [{ ...calendarYearExample, replaced: 5 }],
          }),
          ...errorResponses(422),
        },
      },
    },
    async (request) => {
      const { year } = request.params;
      const { replaced } = await loadCalendarYear(
        deps,
        request.identity?.sub ?? 'unknown',
        year,
        request.body,
      );
      return { ...(await calendarYear(deps, year)), replaced };
    },
  );

  app.put(
    '/v1/calendar/overrides/:date',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'putCalendarOverride',
        tags: ['calendar'],
        summary: 'Declare a day off or a worked day (it wins over the computed calendar)',
        params: z.object({ date: z.iso.date() }),
        body: z
          .object({
            kind: z.enum(['holiday', 'working_day']),
            reason: nfc(500),
            source: nfc(500).nullable().default(null),
          })
          .meta({
            examples: [{ kind: 'holiday', reason: 'Nghỉ bù Quốc khánh', source: 'Thông báo của Bộ Nội vụ' }],
          }),
        response: { 200: Override, ...errorResponses() },
      },
    },
    async (request) => {
      const by = request.identity?.sub ?? 'unknown';
      await withTransaction(deps.db, async (tx) => {
        await upsertOverride(tx, { date: request.params.date, ...request.body, updated_by: by });
        await auditAdmin(tx, {
          actor: by,
          action: 'calendar.override.put',
          target: `calendar:${request.params.date}`,
          detail: request.body,
        });
      });
      return { date: request.params.date, ...request.body, updatedBy: by };
    },
  );

  app.delete(
    '/v1/calendar/overrides/:date',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'deleteCalendarOverride',
        tags: ['calendar'],
        summary: 'Remove an override: the computed calendar applies to that day again',
        params: z.object({ date: z.iso.date() }),
        response: { 204: z.null().meta({ description: 'removed', example: null }), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await withTransaction(deps.db, async (tx) => {
        if (!(await deleteOverride(tx, request.params.date)))
          throw problems.notFound('override', `no override on ${request.params.date}`);
        await auditAdmin(tx, {
          actor: request.identity?.sub ?? 'unknown',
          action: 'calendar.override.delete',
          target: `calendar:${request.params.date}`,
          detail: {},
        });
      });
      return reply.status(204).send(null);
    },
  );

  const RuleSetOut = z
    .object({
      id: z.string(),
      name: z.string(),
      legalBasis: z.string(),
      effectiveFrom: z.iso.date(),
      params: RuleParams,
    })
    .meta({
      id: 'RuleSet',
      examples: [
        {
          id: 'ND118-2025',
          name: 'Thực hiện thủ tục hành chính theo cơ chế một cửa (2025)',
          legalBasis: 'Nghị định 118/2025/NĐ-CP',
          effectiveFrom: '2025-07-01',
          params: {
            receiptCutoff: null,
            paperTransferCutoff: '15:00',
            supplementRequestWithinWorkingDays: 3,
            maxReschedules: 1,
            rescheduleNoticeDays: 1,
            restartClockAfterSupplement: true,
            paymentWait: 'pause',
            paperTransferNextDayBy: '08:00',
          },
        },
      ],
    });

  app.get(
    '/v1/rule-sets',
    {
      schema: {
        'x-access': {
          roles: ['desk_officer', 'processing_officer', 'leader', 'reporter'],
          agencyScoped: false,
        },
        operationId: 'listRuleSets',
        tags: ['calendar'],
        summary: 'The effective-dated rule sets of the one-stop regulations',
        response: { 200: z.object({ items: z.array(RuleSetOut) }), ...errorResponses() },
      },
    },
    async () => ({ items: await deps.calendars.ruleSets(deps.db) }),
  );

  app.post(
    '/v1/rule-sets',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'createRuleSet',
        'x-idempotent': true,
        tags: ['calendar'],
        summary:
          'Add a rule set that takes effect on a date (dossiers received from then on are judged by it)',
        body: z
          .object({
            id: z.string().regex(/^[A-Z0-9-]{3,40}$/, 'id: 3-40 characters of A-Z, 0-9 and -'),
            name: nfc(300),
            legalBasis: nfc(1000),
            effectiveFrom: z.iso.date(),
            params: RuleParams,
          })
          .meta({
            examples: [
              {
                id: 'QD-TINH-2027',
                name: 'Quy chế một cửa của tỉnh (2027)',
                legalBasis: 'Quyết định 12/2026/QĐ-UBND',
                effectiveFrom: '2027-01-01',
                params: {
                  receiptCutoff: null,
                  paperTransferCutoff: '15:00',
                  supplementRequestWithinWorkingDays: 3,
                  maxReschedules: 1,
                  rescheduleNoticeDays: 1,
                  restartClockAfterSupplement: true,
                  paymentWait: 'pause',
                  paperTransferNextDayBy: '08:00',
                },
              },
            ],
          }),
        response: { 201: RuleSetOut, ...errorResponses(409) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      await withTransaction(deps.db, async (tx) => {
        const ok = await insertRuleSet(tx, {
          id: b.id,
          name: b.name,
          legal_basis: b.legalBasis,
          effective_from: b.effectiveFrom,
          params: JSON.stringify(b.params),
        });
        if (!ok)
          throw problems.conflict(
            'rule_set_exists',
            `a rule set with id ${b.id} or taking effect on ${b.effectiveFrom} exists`,
          );
        await auditAdmin(tx, {
          actor: request.identity?.sub ?? 'unknown',
          action: 'rule_set.create',
          target: `rule_set:${b.id}`,
          detail: b,
        });
      });
      return reply.status(201).send(b);
    },
  );
}
