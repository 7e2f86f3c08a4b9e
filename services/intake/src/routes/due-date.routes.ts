import {
  addDays,
  addMonths,
  datesBetween,
  isWeekend,
  vnDate,
  type CivilDate,
  type WorkingCalendar,
} from '@tthc/calendar';
import { Channel, ProcessingTime } from '@tthc/contracts';
import { errorResponses, type ServiceApp } from '@tthc/service-kit';
import { z } from 'zod';
import { ensureProcedureCopy } from '../commands/procedure-copy.command';
import { receiptTerms } from '../commands/receipt-terms.command';
import type { AppDeps } from '../deps';

const instant = z.iso.datetime({ offset: true });

const DayExplained = z.object({
  date: z.iso.date(),
  /** weekend; holiday (statutory); compensatory (nghỉ bù); declared (an announced day off); swapped (a weekend day worked in lieu). */
  reason: z.enum(['weekend', 'holiday', 'compensatory', 'declared', 'swapped']),
  name: z.string().nullable(),
});

const DueDateAnswer = z
  .object({
    procedureCode: z.string(),
    procedureVersion: z.number().int(),
    channel: Channel,
    receivedAt: instant,
    processingTime: ProcessingTime,
    ruleSetId: z.string(),
    /** The civil day the period counts from (the receipt's own day, or the next working day after the cut-off). */
    countsFrom: z.iso.date(),
    /** Why the count starts later than the receipt day, if it does. */
    receiptMoved: z.enum(['non_working_day', 'after_cutoff']).nullable(),
    dueAt: instant,
    dueDate: z.iso.date(),
    /** The days off the period stepped over, and the weekend days worked in lieu it counted. */
    skipped: z.array(DayExplained),
    workedInLieu: z.array(DayExplained),
  })
  .meta({
    id: 'DueDateAnswer',
    examples: [
      {
        procedureCode: '1.004579',
        procedureVersion: 3,
        channel: 'direct',
        receivedAt: '2026-02-12T08:30:00.000Z',
        processingTime: { value: 5, unit: 'working_days' },
        ruleSetId: 'ND118-2025',
        countsFrom: '2026-02-12',
        receiptMoved: null,
        dueAt: '2026-03-02T10:00:00.000Z',
        dueDate: '2026-03-02',
        skipped: [
          { date: '2026-02-14', reason: 'declared', name: 'Tết Nguyên đán' },
          { date: '2026-02-15', reason: 'declared', name: 'Tết Nguyên đán' },
        ],
        workedInLieu: [],
      },
    ],
  });

/**
 * The appointment a desk would print for a receipt at an instant, computed exactly as a receipt
 * is (receipt-terms: procedure version and rule set in force, cut-off, calendar with official
 * days), with the days it stepped over and why, so a citizen can be told before filing.
 */
export function dueDateRoutes(app: ServiceApp, deps: AppDeps): void {
  app.get(
    '/v1/calendar/due-date',
    {
      schema: {
        'x-access': { roles: 'public', agencyScoped: false },
        operationId: 'previewDueDate',
        tags: ['calendar'],
        summary:
          'The due date of a receipt at an instant, as the desk would print it, with the days skipped and why',
        querystring: z.object({
          procedureCode: z
            .string()
            .regex(/^\d\.\d{6}$/, 'procedure code: a digit, a dot and six digits')
            .meta({ example: '1.004579' }),
          channel: Channel.default('direct'),
          receivedAt: instant
            .optional()
            .meta({ description: 'default: now', example: '2026-02-12T08:30:00Z' }),
        }),
        response: { 200: DueDateAnswer, ...errorResponses(422) },
      },
    },
    async (request) => {
      const q = request.query;
      const receivedAt = q.receivedAt ? new Date(q.receivedAt) : deps.clock();
      await ensureProcedureCopy(deps, q.procedureCode, vnDate(receivedAt));
      const terms = await receiptTerms(deps.db, deps, {
        procedureCode: q.procedureCode,
        channel: q.channel,
        receivedAt,
      });
      const time = terms.method.processingTime;
      const cal = terms.calendar;
      const day = vnDate(receivedAt);
      const working = time.unit === 'working_days' || time.unit === 'working_hours';
      // Working-time periods count from the next working day after a rest day or the cut-off;
      // calendar periods from the day after the event whatever it was (Civil Code Art. 147).
      const countsFrom = working
        ? cal.receiptDay(receivedAt, { cutoff: terms.rules.params.receiptCutoff })
        : day;
      const dueDate = vnDate(terms.dueAt);
      // The days a working-time count steps over; for a calendar period only those its last day moved past.
      const nominalEnd =
        time.unit === 'days'
          ? addDays(day, time.value)
          : time.unit === 'months'
            ? addMonths(day, time.value)
            : countsFrom;
      const span = dueDate > nominalEnd ? datesBetween(working ? countsFrom : nominalEnd, dueDate) : [];
      return {
        procedureCode: terms.version.code,
        procedureVersion: terms.version.version,
        channel: q.channel,
        receivedAt: receivedAt.toISOString(),
        processingTime: time,
        ruleSetId: terms.rules.id,
        countsFrom,
        receiptMoved:
          countsFrom === day
            ? null
            : cal.isWorkingDay(day)
              ? ('after_cutoff' as const)
              : ('non_working_day' as const),
        dueAt: terms.dueAt.toISOString(),
        dueDate,
        skipped: span.filter((d) => !cal.isWorkingDay(d)).map((d) => explain(cal, d)),
        workedInLieu: span.filter((d) => cal.isWorkingDay(d) && isWeekend(d)).map((d) => explain(cal, d)),
      };
    },
  );
}

function explain(cal: WorkingCalendar, date: CivilDate): z.infer<typeof DayExplained> {
  const info = cal.describeDay(date);
  if (info.working) return { date, reason: 'swapped', name: info.override?.reason ?? null };
  if (info.basis === 'override')
    return {
      date,
      reason: 'declared',
      name: info.override?.name ?? info.holiday?.name ?? info.override?.reason ?? null,
    };
  if (info.basis === 'statutory') return { date, reason: 'holiday', name: info.holiday?.name ?? null };
  if (info.basis === 'compensatory')
    return { date, reason: 'compensatory', name: info.holiday?.name ?? null };
  return { date, reason: 'weekend', name: null };
}
