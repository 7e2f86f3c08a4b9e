import { addDays, vnInstant, type CivilDate } from '@tthc/calendar';
import type { DossierTimeline } from './timeline';

/** The last instant of a civil day in Việt Nam: "as of the end of day D" (domain.md, Timeliness). */
export function endOfVnDay(day: CivilDate): Date {
  return new Date(vnInstant(addDays(day, 1), 0).getTime() - 1);
}

const upTo = (d: Date | null, instant: Date): Date | null => (d !== null && d <= instant ? d : null);

/**
 * The dossier as it stood at an instant: every fact that happened later is taken away. A figure
 * of a closed period reads its dossiers through this, so what happens after the period never
 * changes it (domain.md: "A closed period's figures come from the timeline").
 */
export function asOf(t: DossierTimeline, instant: Date): DossierTimeline {
  const receivedAt = upTo(t.receivedAt, instant);
  const resolvedAt = upTo(t.resolvedAt, instant);
  const ratedAt = upTo(t.ratedAt, instant);
  const rescheduledAt = upTo(t.rescheduledAt, instant);
  const firstComplaintAt = upTo(t.firstComplaintAt, instant);
  return {
    ...t,
    submittedAt: upTo(t.submittedAt, instant),
    receivedAt,
    receiptDueAt: receivedAt ? t.receiptDueAt : null,
    dueChanges: t.dueChanges.filter((c) => c.at <= instant),
    waits: t.waits
      .filter((w) => w.startedAt <= instant)
      .map((w) => (w.endedAt !== null && w.endedAt > instant ? { ...w, endedAt: null } : w)),
    rescheduledAt,
    rescheduledDueAt: rescheduledAt ? t.rescheduledDueAt : null,
    resolvedAt,
    eResult: resolvedAt ? t.eResult : null,
    resultDigitized: resolvedAt ? t.resultDigitized : null,
    returnedAt: upTo(t.returnedAt, instant),
    withdrawnAt: upTo(t.withdrawnAt, instant),
    stoppedAt: upTo(t.stoppedAt, instant),
    refusedAt: upTo(t.refusedAt, instant),
    firstPaidAt: upTo(t.firstPaidAt, instant),
    firstOnlinePaidAt: upTo(t.firstOnlinePaidAt, instant),
    nationalSyncedAt: upTo(t.nationalSyncedAt, instant),
    rating: ratedAt ? t.rating : null,
    ratedAt,
    firstComplaintAt,
    complaints: firstComplaintAt ? t.complaints : 0,
  };
}
