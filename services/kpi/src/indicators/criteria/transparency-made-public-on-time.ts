import type { Criterion, IndicatorContext } from '../criterion';

/**
 * Procedures made public on time: decisions signed in the period whose procedure reached the
 * national procedure database within `nationalPublicationWorkingDays` working days. A version
 * whose national publication date is not known is left out (unknown is not late) and said so.
 */
function published(ctx: IndicatorContext) {
  const signed = ctx.procedures
    .all()
    .filter(
      (v) =>
        v.decision_signed_on !== null &&
        v.decision_signed_on >= ctx.period.from &&
        v.decision_signed_on <= ctx.period.to,
    );
  const known = signed.filter((v) => v.national_published_on !== null);
  const onTime = known.filter(
    (v) =>
      (v.national_published_on as string) <=
      ctx.cal.addWorkingDays(v.decision_signed_on as string, ctx.params.nationalPublicationWorkingDays),
  );
  return { signed, known, onTime };
}

const item = (v: ReturnType<typeof published>['signed'][number]) => ({
  code: v.code,
  version: v.version,
  name: v.name,
  detail: `decision signed ${v.decision_signed_on}, on the national database ${v.national_published_on ?? 'unknown'}`,
});

export const madePublicOnTime: Criterion = {
  id: 'transparency.made_public_on_time',
  name: 'Công khai TTHC đúng hạn trên Cơ sở dữ liệu quốc gia',
  source:
    'Quyết định 766/QĐ-TTg ngày 23/6/2023 (Bộ chỉ số phục vụ người dân, doanh nghiệp theo thời gian thực), Phụ lục, nhóm 1 (Công khai, minh bạch), chỉ số 2; domain.md: published within 5 working days of the decision',
  measure: (ctx) => {
    const p = published(ctx);
    const unknown = p.signed.length - p.known.length;
    return {
      numerator: p.onTime.length,
      denominator: p.known.length,
      note: unknown ? `${unknown} procedure(s) without a national publication date left out` : undefined,
    };
  },
  numerator: { kind: 'procedures', select: (ctx) => published(ctx).onTime.map(item) },
  denominator: { kind: 'procedures', select: (ctx) => published(ctx).known.map(item) },
};
