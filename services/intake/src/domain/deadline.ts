import { addDays, isOverdueNow, timeliness, vnDate, type Timeliness, type WorkingCalendar } from '@tthc/calendar';
import type { ProcessingTime } from '@tthc/contracts';
import type { RuleParams } from './rule-set';

/** The legal due date of a dossier received (or whose clock restarted) at an instant. */
export function dueDateFor(cal: WorkingCalendar, from: Date, time: ProcessingTime, rules: RuleParams): Date {
  return cal.dueDate(from, time, { cutoff: rules.receiptCutoff });
}

/**
 * A supplement must be requested within N working days of receipt (Nghị định 61/2018 Art. 16.2;
 * the number is rule-set data). A late request is still recorded, and flagged.
 */
export function supplementWithinWindow(cal: WorkingCalendar, receivedAt: Date, requestedAt: Date, rules: RuleParams): boolean {
  return cal.countWorkingDays(receivedAt, requestedAt) <= rules.supplementRequestWithinWorkingDays;
}

export type RescheduleCheck = { ok: true } | { ok: false; reason: string; pointer: string };

/**
 * An apology with a new date: at most `maxReschedules` times, at least `rescheduleNoticeDays`
 * before the due date, and to a later date (Nghị định 61/2018 Art. 19.2.c).
 */
export function checkReschedule(
  now: Date,
  dueAt: Date,
  newDueAt: Date,
  rescheduleCount: number,
  rules: RuleParams,
): RescheduleCheck {
  if (rescheduleCount >= rules.maxReschedules) {
    return { ok: false, reason: `a dossier may be rescheduled at most ${rules.maxReschedules} time(s)`, pointer: '' };
  }
  if (vnDate(now) > addDays(vnDate(dueAt), -rules.rescheduleNoticeDays)) {
    return {
      ok: false,
      reason: `the apology must come at least ${rules.rescheduleNoticeDays} day(s) before the due date ${vnDate(dueAt)}`,
      pointer: '',
    };
  }
  if (newDueAt.getTime() <= dueAt.getTime()) {
    return { ok: false, reason: 'the new date must be after the current due date', pointer: '/newDueAt' };
  }
  return { ok: true };
}

/**
 * Early / on time / late: the end date against the due date, as dates in Việt Nam. A rescheduled
 * dossier is judged against its original due date; withdrawn and stopped dossiers count as on time
 * (the form's column "đúng hạn, bao gồm hồ sơ trả lại/xin rút").
 */
export function judge(endedAt: Date, judgedDueAt: Date | null, endedBy: 'resolved' | 'withdrawn' | 'stopped'): 'early' | 'on_time' | 'late' {
  if (endedBy !== 'resolved' || judgedDueAt === null) return 'on_time';
  return timeliness(endedAt, judgedDueAt);
}

/**
 * A step of the processing (a unit's or an agency's part) judged like a dossier: open and due
 * before today is late now; ended, early / on time / late against its own deadline as dates.
 */
export function judgeStep(step: { due_at: Date | null; completed_at: Date | null }, now: Date): { lateNow: boolean; timeliness: Timeliness | null } {
  if (step.due_at === null) return { lateNow: false, timeliness: null };
  if (step.completed_at === null) return { lateNow: isOverdueNow(step.due_at, now), timeliness: null };
  return { lateNow: false, timeliness: timeliness(step.completed_at, step.due_at) };
}
