import type { WorkingCalendar } from '@tthc/calendar';
import type { ProcessingTime } from '@tthc/contracts';
import { dueDateFor } from '../../domain/deadline';
import { resumeClock } from '../../domain/dossier-clock';
import type { RuleParams } from '../../calendar';

/** One change of an imported dossier's clock, at the time it happened. */
export interface ClockChange {
  at: Date;
  cause: 'received' | 'supplement_completed' | 'payment_resumed' | 'rescheduled';
  dueAt: Date;
  legalDueAt: Date;
  /** Working days the applicant took (waits only). */
  waited?: number;
}

export interface ImportedTimeline {
  receivedAt: Date;
  /** The appointment printed at receipt. */
  receiptDueAt: Date;
  supplements: { requestedAt: Date; completedAt?: Date | undefined; dueAtAfter?: Date | undefined }[];
  /** Waits for a payment: from the request to the payment (from the status history). */
  paymentWaits: { from: Date; to: Date }[];
  reschedule?: { at: Date; newDueAt: Date } | undefined;
}

/**
 * Replays the clock of a dossier imported from earlier software with the rules a live dossier
 * follows (domain/deadline.ts): a completed supplement restarts the clock or resumes it moved by
 * the wait (as the rule set in force at receipt says, unless the source gives the new date); a
 * payment wait moves both dates when the rule set pauses for it; a reschedule moves only the
 * appointment. The first change is the receipt; the last one holds the dates of today.
 */
export function replayClock(
  t: ImportedTimeline,
  cal: WorkingCalendar,
  rules: RuleParams,
  time: ProcessingTime,
): ClockChange[] {
  type Step = { at: Date; apply: (c: ClockChange) => ClockChange };
  const steps: Step[] = [];
  for (const s of t.supplements) {
    if (!s.completedAt) continue;
    const completedAt = s.completedAt;
    steps.push({
      at: completedAt,
      apply: (c) => {
        const resumed = resumeClock(
          cal,
          { due_at: c.dueAt, legal_due_at: c.legalDueAt, waiting_since: s.requestedAt },
          completedAt,
        );
        const restarted =
          s.dueAtAfter ??
          (rules.restartClockAfterSupplement ? dueDateFor(cal, completedAt, time, rules) : null);
        return {
          at: completedAt,
          cause: 'supplement_completed',
          dueAt: restarted ?? resumed.due_at!,
          legalDueAt: restarted ?? resumed.legal_due_at!,
          waited: resumed.waited,
        };
      },
    });
  }
  if (rules.paymentWait === 'pause') {
    for (const w of t.paymentWaits) {
      steps.push({
        at: w.to,
        apply: (c) => {
          const resumed = resumeClock(
            cal,
            { due_at: c.dueAt, legal_due_at: c.legalDueAt, waiting_since: w.from },
            w.to,
          );
          return {
            at: w.to,
            cause: 'payment_resumed',
            dueAt: resumed.due_at!,
            legalDueAt: resumed.legal_due_at!,
            waited: resumed.waited,
          };
        },
      });
    }
  }
  const r = t.reschedule;
  if (r)
    steps.push({
      at: r.at,
      apply: (c) => ({ at: r.at, cause: 'rescheduled', dueAt: r.newDueAt, legalDueAt: c.legalDueAt }),
    });
  const changes: ClockChange[] = [
    { at: t.receivedAt, cause: 'received', dueAt: t.receiptDueAt, legalDueAt: t.receiptDueAt },
  ];
  for (const step of steps.sort((a, b) => a.at.getTime() - b.at.getTime()))
    changes.push(step.apply(changes[changes.length - 1]!));
  return changes;
}

/** The clock as it stood at an instant (the receipt's before it). */
export function clockAt(changes: readonly ClockChange[], at: Date): ClockChange {
  let current = changes[0]!;
  for (const c of changes) if (c.at <= at) current = c;
  return current;
}
