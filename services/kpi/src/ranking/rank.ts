import { toCents } from '../frameworks/points';

/**
 * Competition ranking ("1224"): agencies with equal scores (compared in hundredths, as shown) share
 * a rank, and the next rank skips as many places as were shared: 1, 1, 3. An agency with no score
 * (nothing applicable) is not ranked.
 */
export function competitionRanks(scores: ReadonlyMap<string, number | null>): Map<string, number | null> {
  const cents = [...scores].map(([k, v]) => [k, v === null ? null : toCents(v)] as const);
  const out = new Map<string, number | null>();
  for (const [k, v] of cents) {
    out.set(k, v === null ? null : 1 + cents.filter(([, o]) => o !== null && o > v).length);
  }
  return out;
}
