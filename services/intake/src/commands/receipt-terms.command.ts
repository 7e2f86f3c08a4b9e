import type { WorkingCalendar } from '@tthc/calendar';
import { vnDate } from '@tthc/calendar';
import type { Channel, ProcedureMethod } from '@tthc/contracts';
import type { Executor } from '@tthc/db';
import { problems } from '@tthc/service-kit';
import { procedureInForce, type ProcedureVersionCopy } from '../db/procedure.repository';
import type { IntakeDb } from '../db/schema';
import { dueDateFor } from '../domain/deadline';
import type { RuleSet } from '../calendar';
import type { IntakeContext } from './context';

/** What a receipt at an instant gets: the procedure version and rule set in force, the method of its channel, its due date. */
export interface ReceiptTerms {
  version: ProcedureVersionCopy;
  method: ProcedureMethod;
  rules: RuleSet;
  calendar: WorkingCalendar;
  dueAt: Date;
}

/**
 * The terms of a receipt at an instant, exactly as the desk prints them: the procedure version
 * in force on that day (refused when none is published then, or the channel is not offered),
 * the rule set in force, and the due date from the channel's processing time, the cut-off and
 * the calendar with its official days. One function for a desk receipt, the acceptance of an
 * online submission, and the appointment a citizen is told before filing.
 */
export async function receiptTerms(
  tx: Executor<IntakeDb>,
  ctx: Pick<IntakeContext, 'calendars'> & { procedures?: IntakeContext['procedures'] },
  at: { procedureCode: string; channel: Channel; receivedAt: Date },
): Promise<ReceiptTerms> {
  const day = vnDate(at.receivedAt);
  const found = ctx.procedures
    ? await ctx.procedures.inForce(tx, at.procedureCode, day)
    : await procedureInForce(tx, at.procedureCode, day);
  if (!found || found.status !== 'published') {
    throw problems.unprocessable(
      'unknown_procedure',
      `procedure ${at.procedureCode} is not in force on ${day}${found ? ` (${found.status})` : ''}`,
      [{ in: 'body', pointer: '/procedureCode', detail: 'no procedure with this code is in force' }],
    );
  }
  const version = found.version;
  const methods = version.methods as ProcedureMethod[];
  const method = methods.find((m) => m.channel === at.channel);
  if (!method) {
    throw problems.unprocessable(
      'channel_not_offered',
      `procedure ${version.code} is not offered ${at.channel}`,
      [{ in: 'body', pointer: '/channel', detail: `offered: ${methods.map((m) => m.channel).join(', ')}` }],
    );
  }
  const rules = await ctx.calendars.ruleSetFor(tx, day);
  const calendar = await ctx.calendars.get(tx);
  return {
    version,
    method,
    rules,
    calendar,
    dueAt: dueDateFor(calendar, at.receivedAt, method.processingTime, rules.params),
  };
}
