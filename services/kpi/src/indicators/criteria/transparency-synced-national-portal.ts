import { dossierRatio, NO_SOURCE_DATA, type Criterion } from '../criterion';

const ratio = dossierRatio(['syncedNational'], ['received'], (ctx) => {
  const from = ctx.params.nationalSyncFrom;
  return from && from > ctx.period.from
    ? `the sync to the national portal began on ${from}: dossiers received before it count as not synced`
    : undefined;
});

/**
 * Dossiers received in the period whose receipt reached the national public-service portal
 * (intake's sync emits dossier.national_synced when a push carrying the receipt is accepted), over
 * the dossiers received. Not applicable while the province has no sync configured (the rule set's
 * nationalSyncFrom), or for a period that ended before it began.
 */
export const syncedNationalPortal: Criterion = {
  id: 'transparency.synced_national_portal',
  name: 'Hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia',
  source:
    'Quyết định 766/QĐ-TTg ngày 23/6/2023 (Bộ chỉ số phục vụ người dân, doanh nghiệp theo thời gian thực), Phụ lục, nhóm 1 (Công khai, minh bạch), chỉ số 4',
  measure: (ctx) => {
    const from = ctx.params.nationalSyncFrom;
    if (!from)
      return NO_SOURCE_DATA(
        'no sync to the national portal is configured (the rule set has no nationalSyncFrom), so no dossier is known synced',
      );
    if (from > ctx.period.to)
      return NO_SOURCE_DATA(`the sync to the national portal began on ${from}, after the period`);
    return ratio.measure(ctx);
  },
  // No sync configured: nothing counted, so the drill-down lists no member either.
  numerator: {
    kind: 'dossiers',
    measures: (ctx) => (ctx.params.nationalSyncFrom ? ['syncedNational'] : []),
  },
  denominator: { kind: 'dossiers', measures: (ctx) => (ctx.params.nationalSyncFrom ? ['received'] : []) },
};
