import { vnDate } from '@tthc/calendar';
import { z } from 'zod';
import type { FeedbackStatus } from '../db/feedback.schema';

/**
 * Feedback (phản ánh, kiến nghị, PAKN) on administrative regulations or on the handling of a
 * dossier, under Nghị định 20/2008/NĐ-CP (amended by Nghị định 92/2017/NĐ-CP). A feedback is
 * received, assigned to a unit, answered (judged early / on time / late against its due date, as
 * civil dates in Việt Nam: the indicator "feedback handled on time" of Quyết định 766/QĐ-TTg counts
 * those answered by the due date), and the sender may then rate the answer once, which closes it.
 */

/**
 * Working days to answer a feedback, counted like any period in days from the day after receipt
 * (Civil Code 2015 Art. 147–148). Default of Nghị định 20/2008/NĐ-CP for feedback on handling.
 * A rule set may carry `feedbackHandlingWorkingDays` in its params to change it from a date; the
 * seeded sets do not, so this default applies.
 */
export const FEEDBACK_HANDLING_WORKING_DAYS = 10;

const FeedbackRuleParams = z.object({
  feedbackHandlingWorkingDays: z.number().int().min(1).max(90).default(FEEDBACK_HANDLING_WORKING_DAYS),
});

export interface FeedbackRules {
  ruleSetId: string;
  handlingWorkingDays: number;
}

/**
 * The feedback rules of the rule set in force on a civil date, read from the raw params (the
 * typed RuleParams strips keys it does not know). A malformed value falls back to the default
 * rather than blocking receipts: the number is checked again when an admin writes a rule set.
 */
export function feedbackRulesOn(
  sets: { id: string; effectiveFrom: string; params: unknown }[],
  date: string,
): FeedbackRules | undefined {
  const set = [...sets]
    .filter((s) => s.effectiveFrom <= date)
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))[0];
  if (!set) return undefined;
  const parsed = FeedbackRuleParams.safeParse(set.params ?? {});
  return {
    ruleSetId: set.id,
    handlingWorkingDays: parsed.success
      ? parsed.data.feedbackHandlingWorkingDays
      : FEEDBACK_HANDLING_WORKING_DAYS,
  };
}

/** Feedback code: `PAKN-YYMMDD-NNNN`, the receipt date in Việt Nam and a serial that restarts each day. */
export function feedbackCode(receivedAt: Date, serial: number): string {
  if (!Number.isInteger(serial) || serial < 1)
    throw new RangeError(`serial must be a positive integer: ${serial}`);
  const [y, m, d] = vnDate(receivedAt).split('-');
  return `PAKN-${(y ?? '').slice(2)}${m}${d}-${String(serial).padStart(4, '0')}`;
}

export type FeedbackAction = 'assign' | 'answer' | 'rate';

/**
 * received → assigned → answered → closed. Assigning again moves the feedback to another unit;
 * an answer needs an assignee; the sender's rating (once, after the answer) closes it.
 */
export const FEEDBACK_TRANSITIONS: Record<
  FeedbackAction,
  { from: readonly FeedbackStatus[]; to: FeedbackStatus }
> = {
  assign: { from: ['received', 'assigned'], to: 'assigned' },
  answer: { from: ['assigned'], to: 'answered' },
  rate: { from: ['answered'], to: 'closed' },
};

export function feedbackActionsFrom(status: FeedbackStatus): FeedbackAction[] {
  return (Object.keys(FEEDBACK_TRANSITIONS) as FeedbackAction[]).filter((a) =>
    FEEDBACK_TRANSITIONS[a].from.includes(status),
  );
}

export function canApplyToFeedback(status: FeedbackStatus, action: FeedbackAction): boolean {
  return FEEDBACK_TRANSITIONS[action].from.includes(status);
}

/** Still waiting for an answer: the only feedback that can be overdue. */
export const OPEN_FEEDBACK: readonly FeedbackStatus[] = ['received', 'assigned'];

export const FEEDBACK_STATUS_LABELS: Record<FeedbackStatus, string> = {
  received: 'Đã tiếp nhận',
  assigned: 'Đang xử lý',
  answered: 'Đã trả lời',
  closed: 'Đã đóng',
};
