import { NO_SOURCE_DATA, type Criterion } from '../criterion';

/** Dossiers synchronized to the national public-service portal: the suite does not sync dossiers yet. */
export const syncedNationalPortal: Criterion = {
  id: 'transparency.synced_national_portal',
  name: 'Hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia',
  source:
    'Quyết định 766/QĐ-TTg ngày 23/6/2023 (Bộ chỉ số phục vụ người dân, doanh nghiệp theo thời gian thực), Phụ lục, nhóm 1 (Công khai, minh bạch), chỉ số 4',
  measure: () =>
    NO_SOURCE_DATA(
      'the suite does not synchronize dossiers to the national portal, so no dossier is known synced',
    ),
  numerator: { kind: 'none' },
  denominator: { kind: 'none' },
};
