import { z } from 'zod';
import { compareToCents, hasTwoDecimals, toCents, type Cents, type Ratio } from './points';

const Decimal2 = z
  .number()
  .min(0)
  .max(1000)
  .refine(hasTwoDecimals, 'at most two decimals')
  .meta({ description: 'a decimal with at most two places' });
const Percent = z
  .number()
  .min(0)
  .max(100)
  .refine(hasTwoDecimals, 'at most two decimals')
  .meta({ description: 'a rate in percent (0–100)' });

/**
 * How a computed criterion turns an indicator's rate (percent) into points. linear: max × rate /
 * upTo, capped at the maximum (upTo 100: proportional); thresholds: the points of the highest step
 * reached; bands: the points of the band the rate falls in (from inclusive, to exclusive, to null:
 * no upper bound). A rate reaching no step or band scores zero.
 */
export const ScoringRule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('linear'), upTo: Percent.refine((v) => v > 0, 'must be above 0') }),
  z.object({
    kind: z.literal('thresholds'),
    steps: z.array(z.object({ atLeast: Percent, points: Decimal2 })).min(1),
  }),
  z.object({
    kind: z.literal('bands'),
    bands: z.array(z.object({ from: Percent, to: Percent.nullable(), points: Decimal2 })).min(1),
  }),
]);
export type ScoringRule = z.infer<typeof ScoringRule>;

export { Decimal2, Percent };

/** Points of a computed criterion of maximum `maxCents` for a rate (exact ratio in percent), in hundredths. */
export function applyRule(rule: ScoringRule, maxCents: Cents, rate: Ratio): Cents {
  switch (rule.kind) {
    case 'linear': {
      // max × min(1, rate / upTo), rounded to hundredths once: integers all the way.
      const upTo = toCents(rule.upTo);
      if (compareToCents(rate, upTo) >= 0) return maxCents;
      return Math.round((maxCents * rate.n * 100) / (upTo * rate.d));
    }
    case 'thresholds': {
      const reached = rule.steps
        .filter((s) => compareToCents(rate, toCents(s.atLeast)) >= 0)
        .map((s) => toCents(s.points));
      return reached.length === 0 ? 0 : Math.min(maxCents, Math.max(...reached));
    }
    case 'bands': {
      const band = rule.bands.find(
        (b) =>
          compareToCents(rate, toCents(b.from)) >= 0 &&
          (b.to === null || compareToCents(rate, toCents(b.to)) < 0),
      );
      return band ? Math.min(maxCents, toCents(band.points)) : 0;
    }
  }
}

/** The rule's own points that exceed the criterion's maximum, as [pointer suffix, detail]. */
export function ruleProblems(rule: ScoringRule, max: number): [string, string][] {
  const out: [string, string][] = [];
  const maxC = toCents(max);
  if (rule.kind === 'thresholds')
    rule.steps.forEach((s, i) => {
      if (toCents(s.points) > maxC)
        out.push([`/steps/${i}/points`, `${s.points} points exceed the criterion's maximum ${max}`]);
    });
  if (rule.kind === 'bands')
    rule.bands.forEach((b, i) => {
      if (toCents(b.points) > maxC)
        out.push([`/bands/${i}/points`, `${b.points} points exceed the criterion's maximum ${max}`]);
      if (b.to !== null && b.to <= b.from)
        out.push([`/bands/${i}/to`, `a band ends (${b.to}) after it starts (${b.from})`]);
    });
  return out;
}
