import type { Measure } from '../domain/measures';
import type { IndicatorContext } from '../indicators/criterion';
import { CRITERIA } from '../indicators/registry';
import { percentOf, ratio, type Ratio } from '../frameworks/points';

/**
 * What a target or a computed criterion can name: a criterion of the indicator engine
 * (`criterion:online.dossiers_online`, its rate in percent), a figure of the engine's counters
 * (`figure:resolved_early`), or, for targets, a node of a reform-index framework of the same year
 * (`framework:PAR-SYT/6.1`, its points).
 */
export type IndicatorUnit = 'percent' | 'dossiers' | 'points';

export interface IndicatorInfo {
  id: string;
  kind: 'criterion' | 'figure' | 'framework';
  name: string;
  unit: IndicatorUnit;
}

interface FigureDef {
  name: string;
  numerator: readonly Measure[];
  /** null: a count, not a rate. */
  denominator: readonly Measure[] | null;
}

/** Figures of the counters that provincial targets name and the national set does not score. */
const FIGURES: Record<string, FigureDef> = {
  resolved_early: {
    name: 'Tỷ lệ hồ sơ giải quyết trước hạn',
    numerator: ['indEarly'],
    denominator: ['ended'],
  },
  resolved_early_or_on_time: {
    name: 'Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn (đã kết thúc)',
    numerator: ['indEarly', 'indOnTime'],
    denominator: ['ended'],
  },
  results_digitized: {
    name: 'Tỷ lệ số hóa kết quả giải quyết',
    numerator: ['resultDigitized'],
    denominator: ['resolved'],
  },
  components_digitized: {
    name: 'Tỷ lệ hồ sơ được số hóa thành phần',
    numerator: ['digitized'],
    denominator: ['received'],
  },
  received: { name: 'Số hồ sơ tiếp nhận', numerator: ['received'], denominator: null },
  in_progress_overdue: {
    name: 'Số hồ sơ đang giải quyết quá hạn',
    numerator: ['indOverdue'],
    denominator: null,
  },
};

/** Every indicator of the engine a target or computed criterion may name (framework nodes aside). */
export function engineIndicators(): IndicatorInfo[] {
  return [
    ...[...CRITERIA.values()].map((c) => ({
      id: `criterion:${c.id}`,
      kind: 'criterion' as const,
      name: c.name,
      unit: 'percent' as const,
    })),
    ...Object.entries(FIGURES).map(([id, f]) => ({
      id: `figure:${id}`,
      kind: 'figure' as const,
      name: f.name,
      unit: f.denominator === null ? ('dossiers' as const) : ('percent' as const),
    })),
  ];
}

export const FRAMEWORK_REF = /^framework:([A-Z0-9][A-Z0-9_-]{0,39})\/(\d{1,3}(?:\.\d{1,3}){0,4})$/;

/** An engine indicator by id, or undefined (a framework reference is checked against the frameworks held). */
export function engineIndicator(id: string): IndicatorInfo | undefined {
  return engineIndicators().find((i) => i.id === id);
}

const sum = (ctx: IndicatorContext, ms: readonly Measure[]) => ms.reduce((s, m) => s + ctx.totals[m], 0);

/**
 * The value of an engine indicator over the context's period and scope, exact: a rate in percent
 * or a count. Null when there is nothing to count (a zero denominator, or not applicable).
 */
export function measureIndicator(ctx: IndicatorContext, id: string): Ratio | null {
  const [kind, name = ''] = id.split(/:(.*)/s);
  if (kind === 'criterion') {
    const c = CRITERIA.get(name);
    if (!c) throw new Error(`unknown criterion ${name}`);
    const m = c.measure(ctx);
    if ('notApplicable' in m || m.denominator === 0) return null;
    return percentOf(m.numerator, m.denominator);
  }
  if (kind === 'figure') {
    const f = FIGURES[name];
    if (!f) throw new Error(`unknown figure ${name}`);
    const n = sum(ctx, f.numerator);
    if (f.denominator === null) return ratio(n, 1);
    const d = sum(ctx, f.denominator);
    return d === 0 ? null : percentOf(n, d);
  }
  throw new Error(`not an engine indicator: ${id}`);
}
