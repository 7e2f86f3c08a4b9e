import type { Executor } from '@tthc/db';
import type { KpiDb } from '../db/schema';
import type { Period } from '../domain/period';
import type { Scope } from '../domain/scope';
import type { Ratio } from '../frameworks/points';
import { indicatorContext, ruleSetFor } from '../indicators/indicator-set';
import { measureIndicator } from './indicator-catalogue';

/**
 * The values of some engine indicators for one scope and period, loading the engine's context
 * once (the rule set in force at the period's end gives its parameters).
 */
export async function engineValues(
  db: Executor<KpiDb>,
  scope: Scope,
  period: Period,
  ids: readonly string[],
): Promise<Map<string, Ratio | null>> {
  const out = new Map<string, Ratio | null>();
  if (ids.length === 0) return out;
  const set = await ruleSetFor(db, period);
  const ctx = await indicatorContext(db, period, scope, set);
  for (const id of ids) out.set(id, measureIndicator(ctx, id));
  return out;
}

export const agencyScope = (agencyCodes: readonly string[]): Scope => ({
  agencyCodes,
  fieldCode: null,
  procedureCode: null,
});
