import { dossierRatio, type Criterion } from '../criterion';

/** Fee-bearing dossiers received in the period that were paid online by its end. */
export const dossiersPaidOnline: Criterion = {
  id: 'payment.dossiers_paid_online',
  name: 'Hồ sơ có nghĩa vụ tài chính được thanh toán trực tuyến',
  source:
    'Quyết định 766/QĐ-TTg ngày 23/6/2023 (Bộ chỉ số phục vụ người dân, doanh nghiệp theo thời gian thực), Phụ lục, nhóm 4 (Thanh toán trực tuyến), chỉ số 3',
  ...dossierRatio(['paidOnline'], ['feeBearing']),
};
