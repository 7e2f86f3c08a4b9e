import type { Criterion, IndicatorContext } from '../criterion';
import type { Measure } from '../../domain/measures';

/**
 * Dossiers handled early or on time, in the indicator view (waiting time subtracted; more than
 * one supplement request counts late): over Biểu 06's population (ended in the period plus in
 * progress at its end, which is received plus carried over), or, by the rule set's parameter,
 * over the dossiers ended in the period only.
 */
const parts = (ctx: Pick<IndicatorContext, 'params'>): { numerator: Measure[]; denominator: Measure[] } =>
  ctx.params.progressPopulation === 'received_and_carried_over'
    ? { numerator: ['indEarly', 'indOnTime', 'indWithin'], denominator: ['ended', 'inProgress'] }
    : { numerator: ['indEarly', 'indOnTime'], denominator: ['ended'] };

const sum = (ctx: IndicatorContext, ms: readonly Measure[]) => ms.reduce((s, m) => s + ctx.totals[m], 0);

export const progressOnTime: Criterion = {
  id: 'progress.on_time',
  name: 'Giải quyết hồ sơ trước hạn, đúng hạn',
  source:
    'Quyết định 766/QĐ-TTg ngày 23/6/2023 (Bộ chỉ số phục vụ người dân, doanh nghiệp theo thời gian thực), Phụ lục, nhóm 2 (Tiến độ giải quyết)',
  measure: (ctx) => {
    const p = parts(ctx);
    return {
      numerator: sum(ctx, p.numerator),
      denominator: sum(ctx, p.denominator),
      note: `population: ${ctx.params.progressPopulation}`,
    };
  },
  numerator: { kind: 'dossiers', measures: (ctx) => parts(ctx).numerator },
  denominator: { kind: 'dossiers', measures: (ctx) => parts(ctx).denominator },
};
