import { endOfVnDay } from '../../domain/as-of';
import type { Criterion, IndicatorContext } from '../criterion';

/** Satisfaction with the handling of feedback: ratings given in the period that are not "not satisfied". Full marks when none. */
function rated(ctx: IndicatorContext) {
  const start = endOfVnDay(ctx.period.from).getTime() - 86_400_000 + 1;
  const end = endOfVnDay(ctx.period.to);
  const all = ctx.feedback.filter(
    (f) => f.rated_at !== null && f.rated_at.getTime() >= start && f.rated_at <= end,
  );
  return { all, satisfied: all.filter((f) => f.satisfaction !== 'not_satisfied') };
}

const item = (f: IndicatorContext['feedback'][number]) => ({
  code: f.code,
  detail: `rated ${f.satisfaction} on ${f.rated_at?.toISOString()}`,
});

export const feedbackHandling: Criterion = {
  id: 'satisfaction.feedback_handling',
  name: 'Mức độ hài lòng về xử lý phản ánh, kiến nghị',
  source:
    'Quyết định 766/QĐ-TTg ngày 23/6/2023 (Bộ chỉ số phục vụ người dân, doanh nghiệp theo thời gian thực), Phụ lục, nhóm 6 (Mức độ hài lòng), chỉ số 2',
  measure: (ctx) => {
    const r = rated(ctx);
    return { numerator: r.satisfied.length, denominator: r.all.length };
  },
  numerator: { kind: 'feedback', select: (ctx) => rated(ctx).satisfied.map(item) },
  denominator: { kind: 'feedback', select: (ctx) => rated(ctx).all.map(item) },
};
