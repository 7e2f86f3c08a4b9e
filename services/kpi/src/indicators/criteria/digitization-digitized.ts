import { dossierRatio, type Criterion } from '../criterion';

/** Dossiers received in the period with every component digitized and the result digitized by its end. */
export const digitized: Criterion = {
  id: 'digitization.digitized',
  name: 'Hồ sơ được số hóa thành phần hồ sơ và kết quả',
  source:
    'Quyết định 766/QĐ-TTg ngày 23/6/2023 (Bộ chỉ số phục vụ người dân, doanh nghiệp theo thời gian thực), Phụ lục, nhóm 5 (Số hóa hồ sơ), chỉ số 2; Nghị định 45/2020/NĐ-CP',
  ...dossierRatio(['digitized'], ['received']),
};
