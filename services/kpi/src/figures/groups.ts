import type { Dims } from '../domain/contributions';
import { addInto, emptyBag, type Bag } from '../domain/measures';

/** The finest group figures are kept at: one procedure of one agency, field and authority level. */
export interface GroupKey {
  agencyCode: string;
  fieldCode: string;
  procedureCode: string;
  authorityLevel: string;
}

export const keyString = (k: GroupKey): string =>
  [k.agencyCode, k.fieldCode, k.procedureCode, k.authorityLevel].join('|');

export function keyFromString(s: string): GroupKey {
  const [agencyCode = '', fieldCode = '', procedureCode = '', authorityLevel = ''] = s.split('|');
  return { agencyCode, fieldCode, procedureCode, authorityLevel };
}

/** Counters per group; channel-specific counters are measures, so the channel is not a key. */
export class Groups {
  readonly byKey = new Map<string, Bag>();

  add(dims: GroupKey | Dims, measures: Partial<Bag>, sign = 1): void {
    const key = keyString(dims);
    const bag = this.byKey.get(key) ?? emptyBag();
    addInto(bag, measures, sign);
    this.byKey.set(key, bag);
  }

  /** The groups with any non-zero counter, sorted by key (for comparisons and stable answers). */
  entries(): [GroupKey, Bag][] {
    return [...this.byKey.entries()]
      .filter(([, bag]) => Object.values(bag).some((v) => v !== 0))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, bag]) => [keyFromString(k), bag]);
  }
}
