import { z } from 'zod';

/**
 * An effective-dated indicator rule set: every number the scoring takes from a regulation
 * (maxima, thresholds, the population of the progress criterion, the publication delays) is data
 * here, never a constant in code (domain.md). A change of law is a new rule set; a period is
 * scored by the rule set in force on its last day.
 */
export const RuleParams = z.object({
  /** Which dossiers the progress criterion counts (Biểu 06's population, or only those ended in the period). */
  progressPopulation: z.enum(['received_and_carried_over', 'ended_in_period']),
  /** A publishing decision is on time when signed at least this many days before its legal basis takes effect. */
  decisionLeadDays: z.number().int().min(0).max(365),
  /** A decision must reach the national procedure database within this many working days of signing. */
  nationalPublicationWorkingDays: z.number().int().min(0).max(60),
  /**
   * The day the province's dossiers began to be synced to the national portal by this suite
   * (intake's NATIONAL_SYNC_URL); absent or null: no sync is configured and the criterion is N/A.
   */
  nationalSyncFrom: z.iso.date().nullable().optional(),
});
export type RuleParams = z.infer<typeof RuleParams>;

export const CriterionRule = z.object({
  id: z.string().regex(/^[a-z]+\.[a-z_]+$/),
  max: z.number().positive().max(100),
  /** Points reach the maximum at this rate (0–1); null: points = max × rate. */
  threshold: z.number().gt(0).max(1).nullable(),
  /** With nothing to count: not applicable, or full marks ("điểm tối đa khi không phát sinh"). */
  whenNone: z.enum(['not_applicable', 'full_marks']),
});
export type CriterionRule = z.infer<typeof CriterionRule>;

export const IndicatorRuleSet = z.object({
  id: z.string().min(1).max(60),
  name: z.string().min(1).max(300),
  legalBasis: z.string().min(1).max(500),
  effectiveFrom: z.iso.date(),
  params: RuleParams,
  groups: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z]+$/),
        name: z.string().min(1),
        criteria: z.array(CriterionRule).min(1),
      }),
    )
    .min(1),
});
export type IndicatorRuleSet = z.infer<typeof IndicatorRuleSet>;

/** The rule set in force on a day: the latest effective on or before it. */
export function ruleSetOn(sets: readonly IndicatorRuleSet[], day: string): IndicatorRuleSet | undefined {
  return [...sets]
    .filter((s) => s.effectiveFrom <= day)
    .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1))[0];
}

export interface Score {
  rate: number | null;
  points: number | null;
  status: 'scored' | 'not_applicable' | 'full_marks_none';
}

/**
 * Points of one criterion (domain.md, Indicators): max × rate, or with a threshold
 * min(max, max × rate / threshold). Zero to count: not applicable, unless the rule says full
 * marks. The rate is never rounded before scoring.
 */
export function score(rule: CriterionRule, numerator: number, denominator: number): Score {
  if (denominator === 0) {
    return rule.whenNone === 'full_marks'
      ? { rate: null, points: rule.max, status: 'full_marks_none' }
      : { rate: null, points: null, status: 'not_applicable' };
  }
  const rate = numerator / denominator;
  const points =
    rule.threshold === null ? rule.max * rate : Math.min(rule.max, (rule.max * rate) / rule.threshold);
  return { rate, points, status: 'scored' };
}

/** Rounded to two decimals for display only. */
export const shown = (x: number | null): number | null => (x === null ? null : Math.round(x * 100) / 100);
