/**
 * Points and target values are decimals with at most two places (16, 5.5, 1.5, 14.1). They are
 * held as integer hundredths while computing, so sums are exact (16 + 5.5 + 1.5 is 23, never
 * 22.999…), stored as numeric, and returned as numbers with at most two decimals.
 */
export type Cents = number;

/** Whether a number has at most two decimals (what a maximum, a score or a target may have). */
export function hasTwoDecimals(x: number): boolean {
  return Number.isFinite(x) && Math.abs(x * 100 - Math.round(x * 100)) < 1e-6;
}

export const toCents = (x: number | string): Cents => Math.round(Number(x) * 100);
export const fromCents = (c: Cents): number => c / 100;
export const sumCents = (xs: readonly Cents[]): Cents => xs.reduce((s, x) => s + x, 0);

/**
 * An exact ratio n / d in some unit (a rate in percent: numerator × 100 over denominator), so a
 * comparison with a threshold is made on integers: 57 of 100 meets 57%, which 0.57 × 100
 * (56.99999…) would not.
 */
export interface Ratio {
  n: number;
  d: number;
}

export const ratio = (n: number, d: number): Ratio => ({ n, d });
export const percentOf = (numerator: number, denominator: number): Ratio => ({
  n: numerator * 100,
  d: denominator,
});
export const centsRatio = (c: Cents): Ratio => ({ n: c, d: 100 });

/** −1, 0 or 1 as the ratio is below, at or above a value given in hundredths. */
export function compareToCents(r: Ratio, c: Cents): -1 | 0 | 1 {
  const left = r.n * 100;
  const right = c * r.d;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The ratio in hundredths, rounded half up (for display and for a leaf's points). */
export const ratioCents = (r: Ratio): Cents => Math.round((r.n * 100) / r.d);

/** The ratio as a number rounded to two decimals (what the API returns). */
export const shown2 = (r: Ratio | null): number | null => (r === null ? null : fromCents(ratioCents(r)));
