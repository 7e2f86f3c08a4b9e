import {
  addDays,
  isOverdueNow,
  parseClock,
  timeliness,
  vnDate,
  vnInstant,
  vnTimeOfDayMs,
  type Timeliness,
  type WorkingCalendar,
} from '@tthc/calendar';
import type { ProcessingTime } from '@tthc/contracts';
import type { RuleParams } from '../calendar';

/** The legal due date of a dossier received (or whose clock restarted) at an instant. */
export function dueDateFor(cal: WorkingCalendar, from: Date, time: ProcessingTime, rules: RuleParams): Date {
  return cal.dueDate(from, time, { cutoff: rules.receiptCutoff });
}

/**
 * A supplement must be requested within N working days of receipt (Nghị định 61/2018 Art. 19.4;
 * Nghị định 118/2025 likewise; the number is rule-set data). A late request is still recorded,
 * and flagged.
 */
export function supplementWithinWindow(
  cal: WorkingCalendar,
  receivedAt: Date,
  requestedAt: Date,
  rules: RuleParams,
): boolean {
  return cal.countWorkingDays(receivedAt, requestedAt) <= rules.supplementRequestWithinWorkingDays;
}

export type RescheduleCheck = { ok: true } | { ok: false; reason: string; pointer: string };

/**
 * An apology with a new date (slip 04): at most `maxReschedules` times, at least
 * `rescheduleNoticeDays` before the due date, and to a later date (Nghị định 61/2018 Art. 19.9;
 * Nghị định 118/2025 likewise; the numbers are rule-set data).
 */
export function checkReschedule(
  now: Date,
  dueAt: Date,
  newDueAt: Date,
  rescheduleCount: number,
  rules: RuleParams,
): RescheduleCheck {
  if (rescheduleCount >= rules.maxReschedules) {
    return {
      ok: false,
      reason: `a dossier may be rescheduled at most ${rules.maxReschedules} time(s)`,
      pointer: '',
    };
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
export function judge(
  endedAt: Date,
  judgedDueAt: Date | null,
  endedBy: 'resolved' | 'withdrawn' | 'stopped',
): 'early' | 'on_time' | 'late' {
  if (endedBy !== 'resolved' || judgedDueAt === null) return 'on_time';
  return timeliness(endedAt, judgedDueAt);
}

/**
 * A step of the processing (a unit's or an agency's part) judged like a dossier: open and due
 * before today is late now; ended, early / on time / late against its own deadline as dates.
 */
export function judgeStep(
  step: { due_at: Date | null; completed_at: Date | null },
  now: Date,
): { lateNow: boolean; timeliness: Timeliness | null } {
  if (step.due_at === null) return { lateNow: false, timeliness: null };
  if (step.completed_at === null) return { lateNow: isOverdueNow(step.due_at, now), timeliness: null };
  return { lateNow: false, timeliness: timeliness(step.completed_at, step.due_at) };
}

/**
 * A paper dossier moves from the desk to the processing unit the same working day, or by the
 * next working morning when received after the transfer cut-off (Nghị định 61/2018 Art. 18;
 * 15:00 and the morning deadline are rule-set data): the deadline of the first hand-over step.
 */
export const PAPER_TRANSFER_TASK = 'Chuyển hồ sơ giấy đến đơn vị giải quyết';

/** Whether a step is the desk's transfer of a paper dossier (the first step, opened at receipt). */
export function isPaperTransfer(step: { seq: number; mode: string; task: string }): boolean {
  return step.seq === 1 && step.mode === 'internal' && step.task === PAPER_TRANSFER_TASK;
}

export function paperTransferDue(cal: WorkingCalendar, receivedAt: Date, rules: RuleParams): Date {
  const day = vnDate(receivedAt);
  if (cal.isWorkingDay(day) && vnTimeOfDayMs(receivedAt) <= parseClock(rules.paperTransferCutoff) * 60_000)
    return cal.endOfDay(day);
  return vnInstant(cal.nextWorkingDay(day), rules.paperTransferNextDayBy);
}
