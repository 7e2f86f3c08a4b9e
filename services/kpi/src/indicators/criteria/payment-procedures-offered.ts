import type { Criterion, IndicatorContext } from '../criterion';

/**
 * Fee-bearing procedures whose fees can be paid online, among the fee-bearing procedures in force
 * at the period's end. A version that does not say (an older event) is unknown: left out, and said.
 */
function feeBearing(ctx: IndicatorContext) {
  const all = ctx.procedures.inForceOn(ctx.period.to).filter((p) => p.fee_bearing);
  const known = all.filter((p) => p.online_payment !== null);
  return { all, known, online: known.filter((p) => p.online_payment === true) };
}

export const paymentOffered: Criterion = {
  id: 'payment.procedures_offered',
  name: 'TTHC có phí, lệ phí được thanh toán trực tuyến',
  source:
    'Quyết định 766/QĐ-TTg ngày 23/6/2023 (Bộ chỉ số phục vụ người dân, doanh nghiệp theo thời gian thực), Phụ lục, nhóm 4 (Thanh toán trực tuyến), chỉ số 1',
  measure: (ctx) => {
    const f = feeBearing(ctx);
    const unknown = f.all.length - f.known.length;
    return {
      numerator: f.online.length,
      denominator: f.known.length,
      note: unknown ? `${unknown} procedure(s) without the online-payment flag left out` : undefined,
    };
  },
  numerator: { kind: 'procedures', select: (ctx) => feeBearing(ctx).online },
  denominator: { kind: 'procedures', select: (ctx) => feeBearing(ctx).known },
};
