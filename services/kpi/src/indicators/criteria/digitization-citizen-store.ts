import { dossierRatio, type Criterion } from '../criterion';

/** Dossiers received in the period with at least one component from the citizen's data store (kho quản lý dữ liệu điện tử). */
export const citizenStore: Criterion = {
  id: 'digitization.citizen_store',
  name: 'Hồ sơ sử dụng giấy tờ từ kho dữ liệu điện tử của tổ chức, cá nhân',
  source:
    'Quyết định 766/QĐ-TTg ngày 23/6/2023 (Bộ chỉ số phục vụ người dân, doanh nghiệp theo thời gian thực), Phụ lục, nhóm 5 (Số hóa hồ sơ), chỉ số 4',
  ...dossierRatio(['citizenStore'], ['received']),
};
