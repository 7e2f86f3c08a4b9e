import type { WorkingCalendar } from '@tthc/calendar';
import type { FeedbackRow } from '../db/feedback.repository';
import type { Bag, Measure } from '../domain/measures';
import type { Period } from '../domain/period';
import type { Scope } from '../domain/scope';
import type { ProcedureFacts, ProcedureInForce } from './procedure-facts';
import type { RuleParams } from './rule-set';

/** Everything a criterion reads, loaded once per indicator set. */
export interface IndicatorContext {
  period: Period;
  scope: Scope;
  /** The period's counters summed over the scope (figures/period-figures.ts). */
  totals: Bag;
  /** The same counters per procedure code (criteria that count procedures with dossiers). */
  byProcedure: ReadonlyMap<string, Bag>;
  procedures: ProcedureFacts;
  feedback: readonly FeedbackRow[];
  params: RuleParams;
  cal: WorkingCalendar;
}

/** What a criterion counted: a numerator over a denominator, or not applicable with the reason. */
export type Measured =
  { numerator: number; denominator: number; note?: string | undefined } | { notApplicable: string };

/** What a numerator or denominator counts, so a drill-down can list its members. */
export type Members =
  | { kind: 'dossiers'; measures: (ctx: Pick<IndicatorContext, 'params'>) => readonly Measure[] }
  | {
      kind: 'procedures';
      select: (
        ctx: IndicatorContext,
      ) => ProcedureInForce[] | { code: string; version: number; name: string; detail: string }[];
    }
  | { kind: 'feedback'; select: (ctx: IndicatorContext) => { code: string; detail: string }[] }
  | { kind: 'none' };

export interface Criterion {
  /** Stable id, as the rule set names it: group.criterion. */
  id: string;
  name: string;
  /** The legal source of the criterion and of its definition here. */
  source: string;
  measure: (ctx: IndicatorContext) => Measured;
  numerator: Members;
  denominator: Members;
}

/** A criterion counted from the period's dossier counters: the sums of some measures over others. */
export function dossierRatio(
  numerator: readonly Measure[],
  denominator: readonly Measure[],
  note?: (ctx: IndicatorContext) => string | undefined,
): Pick<Criterion, 'measure' | 'numerator' | 'denominator'> {
  const sum = (bag: Bag, ms: readonly Measure[]) => ms.reduce((s, m) => s + bag[m], 0);
  return {
    measure: (ctx) => ({
      numerator: sum(ctx.totals, numerator),
      denominator: sum(ctx.totals, denominator),
      note: note?.(ctx),
    }),
    numerator: { kind: 'dossiers', measures: () => numerator },
    denominator: { kind: 'dossiers', measures: () => denominator },
  };
}

/** A criterion counted over procedures: those selected for the denominator, and those of them that qualify. */
export function procedureRatio(
  denominator: (ctx: IndicatorContext) => ProcedureInForce[],
  qualifies: (p: ProcedureInForce, ctx: IndicatorContext) => boolean,
): Pick<Criterion, 'measure' | 'numerator' | 'denominator'> {
  const num = (ctx: IndicatorContext) => denominator(ctx).filter((p) => qualifies(p, ctx));
  return {
    measure: (ctx) => ({ numerator: num(ctx).length, denominator: denominator(ctx).length }),
    numerator: { kind: 'procedures', select: num },
    denominator: { kind: 'procedures', select: denominator },
  };
}

export const NO_SOURCE_DATA = (what: string) => ({ notApplicable: `no source data: ${what}` });
