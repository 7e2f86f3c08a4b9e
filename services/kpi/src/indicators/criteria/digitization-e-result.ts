import { dossierRatio, type Criterion } from '../criterion';

/** Dossiers resolved in the period whose result was issued electronically (withdrawn and stopped ones have no result). */
export const eResult: Criterion = {
  id: 'digitization.e_result',
  name: 'Hồ sơ được cấp kết quả điện tử',
  source:
    'Quyết định 766/QĐ-TTg ngày 23/6/2023 (Bộ chỉ số phục vụ người dân, doanh nghiệp theo thời gian thực), Phụ lục, nhóm 5 (Số hóa hồ sơ), chỉ số 1',
  ...dossierRatio(['eResult'], ['resolved']),
};
