import { endOfVnDay } from '../../domain/as-of';
import type { Criterion, IndicatorContext } from '../criterion';

/**
 * Feedback (phản ánh, kiến nghị) handled on time: of the feedback answered in the period and the
 * feedback still unanswered at its end past its due date, those answered by their due date.
 * Full marks when there is none (the rule set says so).
 */
function counted(ctx: IndicatorContext) {
  const start = endOfVnDay(ctx.period.from).getTime() - 86_400_000 + 1;
  const end = endOfVnDay(ctx.period.to);
  const answered = ctx.feedback.filter(
    (f) => f.answered_at !== null && f.answered_at.getTime() >= start && f.answered_at <= end,
  );
  const overdue = ctx.feedback.filter(
    (f) =>
      f.received_at !== null &&
      f.received_at <= end &&
      (f.answered_at === null || f.answered_at > end) &&
      f.due_at !== null &&
      f.due_at <= end,
  );
  return { all: [...answered, ...overdue], onTime: answered.filter((f) => f.answered_on_time === true) };
}

const item = (f: IndicatorContext['feedback'][number]) => ({
  code: f.code,
  detail: f.answered_at
    ? `answered ${f.answered_at.toISOString()}${f.answered_on_time ? ' on time' : ' late'}`
    : `unanswered, due ${f.due_at?.toISOString()}`,
});

export const feedbackOnTime: Criterion = {
  id: 'satisfaction.feedback_on_time',
  name: 'Xử lý phản ánh, kiến nghị đúng hạn',
  source:
    'Quyết định 766/QĐ-TTg ngày 23/6/2023 (Bộ chỉ số phục vụ người dân, doanh nghiệp theo thời gian thực), Phụ lục, nhóm 6 (Mức độ hài lòng), chỉ số 1; Nghị định 20/2008/NĐ-CP (phản ánh, kiến nghị)',
  measure: (ctx) => {
    const c = counted(ctx);
    return { numerator: c.onTime.length, denominator: c.all.length };
  },
  numerator: { kind: 'feedback', select: (ctx) => counted(ctx).onTime.map(item) },
  denominator: { kind: 'feedback', select: (ctx) => counted(ctx).all.map(item) },
};
