import { procedureRatio, type Criterion } from '../criterion';

/**
 * Procedures with complete content: of the procedures in force at the period's end, those whose
 * record holds every component Nghị định 63/2010 Art. 8.2 requires (the catalogue's check).
 */
export const completeContent: Criterion = {
  id: 'transparency.complete_content',
  name: 'TTHC công khai đầy đủ nội dung',
  source:
    'Quyết định 766/QĐ-TTg ngày 23/6/2023 (Bộ chỉ số phục vụ người dân, doanh nghiệp theo thời gian thực), Phụ lục, nhóm 1 (Công khai, minh bạch), chỉ số 3; Nghị định 63/2010/NĐ-CP Art. 8.2',
  ...procedureRatio(
    (ctx) => ctx.procedures.inForceOn(ctx.period.to),
    (p) => p.complete,
  ),
};
