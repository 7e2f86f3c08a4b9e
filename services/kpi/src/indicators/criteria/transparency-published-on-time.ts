import { addDays } from '@tthc/calendar';
import type { Criterion, IndicatorContext } from '../criterion';

/**
 * Procedures published on time: publishing decisions due in the period (their legal basis takes
 * effect in it) that were signed at least `decisionLeadDays` days before it did. A version
 * without the signing or effective date is unknown, not late: it is left out and said so.
 */
function decisions(ctx: IndicatorContext) {
  const due = ctx.procedures
    .all()
    .filter(
      (v) =>
        v.legal_basis_effective_from !== null &&
        v.legal_basis_effective_from >= ctx.period.from &&
        v.legal_basis_effective_from <= ctx.period.to,
    );
  const known = due.filter((v) => v.decision_signed_on !== null);
  const onTime = known.filter(
    (v) =>
      (v.decision_signed_on as string) <=
      addDays(v.legal_basis_effective_from as string, -ctx.params.decisionLeadDays),
  );
  return { due, known, onTime };
}

const item = (v: ReturnType<typeof decisions>['due'][number]) => ({
  code: v.code,
  version: v.version,
  name: v.name,
  detail: `decision ${v.decision_number} signed ${v.decision_signed_on ?? 'unknown'}, legal basis effective ${v.legal_basis_effective_from}`,
});

export const publishedOnTime: Criterion = {
  id: 'transparency.published_on_time',
  name: 'Công bố TTHC đúng hạn',
  source:
    'Quyết định 766/QĐ-TTg ngày 23/6/2023 (Bộ chỉ số phục vụ người dân, doanh nghiệp theo thời gian thực), Phụ lục, nhóm 1 (Công khai, minh bạch), chỉ số 1; domain.md: the decision at least 5 days before its legal basis takes effect',
  measure: (ctx) => {
    const d = decisions(ctx);
    const unknown = d.due.length - d.known.length;
    return {
      numerator: d.onTime.length,
      denominator: d.known.length,
      note: unknown ? `${unknown} decision(s) without a signing date left out` : undefined,
    };
  },
  numerator: { kind: 'procedures', select: (ctx) => decisions(ctx).onTime.map(item) },
  denominator: { kind: 'procedures', select: (ctx) => decisions(ctx).known.map(item) },
};
