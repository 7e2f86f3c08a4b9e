import { dossierRatio, type Criterion } from '../criterion';

/**
 * Satisfaction with dossier handling: (dossiers − rated not satisfied − complained about − late)
 * / dossiers, over the dossiers resolved in the period, each counted once; ratings and complaints
 * by the period's end; late in the indicator view.
 */
export const dossierHandling: Criterion = {
  id: 'satisfaction.dossier_handling',
  name: 'Mức độ hài lòng trong giải quyết hồ sơ',
  source:
    'Quyết định 766/QĐ-TTg ngày 23/6/2023 (Bộ chỉ số phục vụ người dân, doanh nghiệp theo thời gian thực), Phụ lục, nhóm 6 (Mức độ hài lòng), chỉ số 3',
  ...dossierRatio(['satisfied'], ['resolved']),
};
