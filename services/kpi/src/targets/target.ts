import { z } from 'zod';
import { compareToCents, fromCents, ratioCents, toCents, type Ratio } from '../frameworks/points';

export const Comparator = z.enum(['at_least', 'at_most', 'equal']).meta({
  description: 'at_least: actual ≥ value; at_most: actual ≤ value; equal: actual = value (exactly)',
});
export type Comparator = z.infer<typeof Comparator>;

export interface Judgement {
  met: boolean | null;
  /** actual − value, rounded to two decimals (negative: below the target). */
  gap: number | null;
}

/**
 * Whether an actual value meets a target, compared exactly (the actual as a ratio, the target in
 * hundredths): 55 of 100 online payments meet "at least 55%". Nothing to count: neither met nor
 * missed (null).
 */
export function judge(comparator: Comparator, actual: Ratio | null, value: number): Judgement {
  if (actual === null) return { met: null, gap: null };
  const c = compareToCents(actual, toCents(value));
  const met = comparator === 'at_least' ? c >= 0 : comparator === 'at_most' ? c <= 0 : c === 0;
  return { met, gap: fromCents(ratioCents(actual) - toCents(value)) };
}
