import { procedureRatio, type Criterion } from '../criterion';

/** Online services that received at least one online dossier in the period, among the online services in force at its end. */
export const servicesUsed: Criterion = {
  id: 'online.services_used',
  name: 'Dịch vụ công trực tuyến phát sinh hồ sơ trực tuyến',
  source:
    'Quyết định 766/QĐ-TTg ngày 23/6/2023 (Bộ chỉ số phục vụ người dân, doanh nghiệp theo thời gian thực), Phụ lục, nhóm 3 (Dịch vụ trực tuyến), chỉ số 2',
  ...procedureRatio(
    (ctx) =>
      ctx.procedures
        .inForceOn(ctx.period.to)
        .filter((p) => p.online_level === 'full' || p.online_level === 'partial'),
    (p, ctx) => (ctx.byProcedure.get(p.code)?.receivedOnline ?? 0) > 0,
  ),
};
