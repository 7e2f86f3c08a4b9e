import { z } from 'zod';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time HH:MM');

/**
 * The numbers the one-stop regulations set, as data (domain.md: every number from a
 * regulation is an effective-dated rule set). A dossier is judged by the set in force when it
 * was received.
 */
export const RuleParams = z.object({
  /** A receipt after this local time counts from the next working day (null: office hours decide). */
  receiptCutoff: hhmm.nullable(),
  /** Paper dossiers received after this time move to the processing unit the next morning. */
  paperTransferCutoff: hhmm,
  /** A supplement must be requested within this many working days of receipt. */
  supplementRequestWithinWorkingDays: z.number().int().min(0).max(30),
  /** How many times a dossier may be rescheduled (apology with a new date). */
  maxReschedules: z.number().int().min(0).max(5),
  /** The apology must come at least this many days before the due date. */
  rescheduleNoticeDays: z.number().int().min(0).max(10),
  /** After a completed supplement the processing time starts again from zero (legal due date). */
  restartClockAfterSupplement: z.boolean(),
  /**
   * Waiting for the applicant to pay: `pause` stops the clock (the due date moves by the working
   * days spent waiting, domain.md Timeliness), `count` lets it run.
   */
  paymentWait: z.enum(['pause', 'count']).default('pause'),
  /** A paper dossier received after the transfer cut-off reaches the processing unit at the start of the next working day, by this time. */
  paperTransferNextDayBy: hhmm.default('08:00'),
});
export type RuleParams = z.infer<typeof RuleParams>;

export interface RuleSet {
  id: string;
  name: string;
  legalBasis: string;
  effectiveFrom: string;
  params: RuleParams;
}

/** The 2018 baseline and the 2025 set, seeded; admins add later sets through the API. */
export const SEEDED_RULE_SETS: RuleSet[] = [
  {
    id: 'ND61-2018',
    name: 'Cơ chế một cửa, một cửa liên thông (2018)',
    legalBasis: 'Nghị định 61/2018/NĐ-CP (sửa đổi bởi 107/2021/NĐ-CP); Thông tư 01/2018/TT-VPCP',
    effectiveFrom: '2018-08-21',
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
  {
    id: 'ND118-2025',
    name: 'Thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông (2025)',
    legalBasis: 'Nghị định 118/2025/NĐ-CP (sửa đổi bởi 367/2025/NĐ-CP); Thông tư 03/2025/TT-VPCP',
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
];

/** The set in force on a civil date: the latest that had taken effect. */
export function ruleSetOn(sets: RuleSet[], date: string): RuleSet | undefined {
  return [...sets]
    .filter((s) => s.effectiveFrom <= date)
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))[0];
}
