import type { Criterion } from '../criterion';

/** Electronic certified copies (chứng thực bản sao điện tử) are issued by communes: not applicable to a department. */
export const eCertifiedCopies: Criterion = {
  id: 'digitization.e_certified_copies',
  name: 'Chứng thực bản sao điện tử từ bản chính',
  source:
    'Quyết định 766/QĐ-TTg ngày 23/6/2023 (Bộ chỉ số phục vụ người dân, doanh nghiệp theo thời gian thực), Phụ lục, nhóm 5 (Số hóa hồ sơ), chỉ số 6; Nghị định 23/2015/NĐ-CP (chứng thực)',
  measure: () => ({
    notApplicable:
      'e-certified copies are issued by communes; a health department issues none, and the suite records none',
  }),
  numerator: { kind: 'none' },
  denominator: { kind: 'none' },
};
