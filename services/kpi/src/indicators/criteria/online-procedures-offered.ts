import { procedureRatio, type Criterion } from '../criterion';

/** Procedures offered online (toàn trình or một phần, Nghị định 42/2022) among those in force at the period's end. */
export const proceduresOffered: Criterion = {
  id: 'online.procedures_offered',
  name: 'TTHC cung cấp dịch vụ công trực tuyến',
  source:
    'Quyết định 766/QĐ-TTg ngày 23/6/2023 (Bộ chỉ số phục vụ người dân, doanh nghiệp theo thời gian thực), Phụ lục, nhóm 3 (Dịch vụ trực tuyến), chỉ số 1; Nghị định 42/2022/NĐ-CP Art. 11',
  ...procedureRatio(
    (ctx) => ctx.procedures.inForceOn(ctx.period.to),
    (p) => p.online_level === 'full' || p.online_level === 'partial',
  ),
};
