import { dossierRatio, type Criterion } from '../criterion';

/** Dossiers filed online among those received in the period (carried-over dossiers are not filed in it). */
export const dossiersOnline: Criterion = {
  id: 'online.dossiers_online',
  name: 'Hồ sơ nộp trực tuyến',
  source:
    'Quyết định 766/QĐ-TTg ngày 23/6/2023 (Bộ chỉ số phục vụ người dân, doanh nghiệp theo thời gian thực), Phụ lục, nhóm 3 (Dịch vụ trực tuyến), chỉ số 3',
  ...dossierRatio(['receivedOnline'], ['received']),
};
