import { dossierRatio, type Criterion } from '../criterion';

/**
 * Dossiers received in the period whose applicant's identity came from the national population
 * database (VNeID). Where the event did not say (an older version), the dossier is unknown: left
 * out of both parts, and counted in the note.
 */
export const populationData: Criterion = {
  id: 'digitization.population_data',
  name: 'Hồ sơ khai thác dữ liệu từ Cơ sở dữ liệu quốc gia về dân cư',
  source:
    'Quyết định 766/QĐ-TTg ngày 23/6/2023 (Bộ chỉ số phục vụ người dân, doanh nghiệp theo thời gian thực), Phụ lục, nhóm 5 (Số hóa hồ sơ), chỉ số 5; Quyết định 06/QĐ-TTg năm 2022 (Đề án 06)',
  ...dossierRatio(['populationUsed'], ['populationKnown'], (ctx) => {
    const unknown = ctx.totals.received - ctx.totals.populationKnown;
    return unknown ? `${unknown} dossier(s) without the population-data flag left out` : undefined;
  }),
};
