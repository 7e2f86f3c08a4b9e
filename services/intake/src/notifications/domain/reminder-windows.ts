import { addDays, vnDate, vnInstant, type WorkingCalendar } from '@tthc/calendar';
import type { OfficerEvent } from '../templates/template-catalogue';

/**
 * Which officer reminders a dossier in progress is due, now. Windows are counted in working days
 * before the due date (0 = the due date itself), so they only open at the start of a working
 * day. A dossier is overdue when its due date is before today; due today is a warning, not yet
 * overdue (domain.md, "Timeliness"). The apology (Mẫu 04) must be made at least
 * `rescheduleNoticeDays` before the due date (Nghị định 61/2018 Art. 19.2.c; the number is
 * rule-set data), so its reminder comes on the last working day on or before that deadline.
 */
export interface ReminderDue {
  /** The sent-log key: one reminder per dossier, kind and due date. */
  kind: string;
  event: Exclude<OfficerEvent, 'digest'>;
  data: Record<string, string>;
}

export interface ApologyRule {
  noticeDays: number;
  /** False once the dossier used its reschedules: no apology is possible any more. */
  canReschedule: boolean;
}

export function normalizeWindows(windows: readonly number[]): number[] {
  return [...new Set(windows.filter((w) => Number.isInteger(w) && w >= 0))].sort((a, b) => a - b);
}

export function remindersDue(
  cal: WorkingCalendar,
  now: Date,
  dueAt: Date,
  windows: readonly number[],
  apology: ApologyRule | null,
): ReminderDue[] {
  const today = vnDate(now);
  const dueDate = vnDate(dueAt);
  const left = cal.countWorkingDays(now, dueAt);
  if (dueDate < today) {
    return [
      { kind: 'overdue', event: 'reminder_overdue', data: { daysOverdue: String(Math.max(1, -left)) } },
    ];
  }
  const out: ReminderDue[] = [];
  // The narrowest window the dossier is in: a dossier received close to its due date gets one warning, not several at once.
  const window = normalizeWindows(windows).find((w) => left <= w);
  if (window === 0 || (window !== undefined && dueDate === today)) {
    out.push({ kind: 'due_today', event: 'reminder_due_today', data: { daysLeft: '0' } });
  } else if (window !== undefined) {
    out.push({ kind: `window_${window}`, event: 'reminder_window', data: { daysLeft: String(left) } });
  }
  if (apology?.canReschedule) {
    const deadline = addDays(dueDate, -apology.noticeDays);
    if (today <= deadline && cal.countWorkingDays(now, vnInstant(deadline, '12:00')) <= 0) {
      out.push({
        kind: 'apology_deadline',
        event: 'reminder_apology_deadline',
        data: { apologyDeadline: deadline },
      });
    }
  }
  return out;
}

export type DigestClass = 'overdue' | 'due_today' | 'due_soon';

/** Where a dossier stands in a unit's daily digest, or null when it is not yet worth a line. */
export function digestClass(
  cal: WorkingCalendar,
  now: Date,
  dueAt: Date,
  maxWindow: number,
): DigestClass | null {
  const today = vnDate(now);
  const dueDate = vnDate(dueAt);
  if (dueDate < today) return 'overdue';
  if (dueDate === today) return 'due_today';
  return cal.countWorkingDays(now, dueAt) <= maxWindow ? 'due_soon' : null;
}

/** Reminders go out on working days from a local hour, never at midnight or on a Sunday. */
export function remindersOpen(cal: WorkingCalendar, now: Date, from: string): boolean {
  const today = vnDate(now);
  return cal.isWorkingDay(today) && now.getTime() >= vnInstant(today, from).getTime();
}
