import type { WorkingCalendar } from '@tthc/calendar';

export interface TaskDates {
  dueOn: string;
  completedOn: string | null;
}

export interface PlanCounts {
  total: number;
  done: number;
  /** Of the done: completed after their (working) due date. */
  doneLate: number;
  /** Not done, still within time. */
  inProgress: number;
  /** Not done, past their due date. */
  overdue: number;
}

/**
 * The last day a task may be completed on: its due date, or, when that is not a working day, the
 * next working day (Bộ luật Dân sự 2015, Art. 148: a period whose last day is a day off ends on
 * the next working day).
 */
export const workingDue = (t: TaskDates, cal: WorkingCalendar): string => cal.workingDayOnOrAfter(t.dueOn);

/**
 * Counts of the plan's tasks as of a day, from their dates (not their status today, so a past
 * day's counts do not change): done when completed on or before it. Judged at the end of the day
 * (a period's last day, `at: 'end_of_day'`): a task not done whose working due date is on or
 * before it is overdue. Judged now (`at: 'now'`): only a due date before the day is overdue; due
 * today is not yet late (domain.md, Timeliness, as for dossiers).
 */
export function planCounts(
  tasks: readonly TaskDates[],
  day: string,
  cal: WorkingCalendar,
  at: 'end_of_day' | 'now' = 'end_of_day',
): PlanCounts {
  const out: PlanCounts = { total: tasks.length, done: 0, doneLate: 0, inProgress: 0, overdue: 0 };
  for (const t of tasks) {
    const due = workingDue(t, cal);
    if (t.completedOn !== null && t.completedOn <= day) {
      out.done++;
      if (t.completedOn > due) out.doneLate++;
    } else if (at === 'end_of_day' ? due <= day : due < day) out.overdue++;
    else out.inProgress++;
  }
  return out;
}
