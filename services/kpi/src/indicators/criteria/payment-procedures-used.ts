import { procedureRatio, type Criterion } from '../criterion';

/** Fee-bearing procedures with at least one dossier received in the period and paid online by its end. */
export const paymentUsed: Criterion = {
  id: 'payment.procedures_used',
  name: 'TTHC có phí, lệ phí phát sinh thanh toán trực tuyến',
  source:
    'Quyết định 766/QĐ-TTg ngày 23/6/2023 (Bộ chỉ số phục vụ người dân, doanh nghiệp theo thời gian thực), Phụ lục, nhóm 4 (Thanh toán trực tuyến), chỉ số 2',
  ...procedureRatio(
    (ctx) => ctx.procedures.inForceOn(ctx.period.to).filter((p) => p.fee_bearing),
    (p, ctx) => (ctx.byProcedure.get(p.code)?.paidOnline ?? 0) > 0,
  ),
};
