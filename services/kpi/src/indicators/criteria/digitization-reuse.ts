import { dossierRatio, type Criterion } from '../criterion';

/** Dossiers received in the period with at least one component taken from earlier digitized data. */
export const reuse: Criterion = {
  id: 'digitization.reuse',
  name: 'Khai thác, sử dụng lại thông tin, dữ liệu số hóa',
  source:
    'Quyết định 766/QĐ-TTg ngày 23/6/2023 (Bộ chỉ số phục vụ người dân, doanh nghiệp theo thời gian thực), Phụ lục, nhóm 5 (Số hóa hồ sơ), chỉ số 3',
  ...dossierRatio(['reused'], ['received']),
};
