import { z } from 'zod';
import type { ReportDocument } from '../domain/document';
import { vnDateText } from '../domain/document';
import { answer, child, figureRequest, PeriodParams, type ReportKind } from './kind';
import { statisticsBlock } from './statistics-table.block';

export const DossierStatisticsParams = PeriodParams.extend({
  byProcedure: z.boolean().default(false).meta({ description: 'a row per procedure under each field' }),
});
export type DossierStatisticsParams = z.infer<typeof DossierStatisticsParams>;

/** The catalogue's field names label the rows (kpi counts by field code). */
export const fieldNamesFrom = (stats: { byField: { fieldCode: string; fieldName: string }[] }) =>
  new Map(stats.byField.map((f) => [f.fieldCode, f.fieldName]));

export const issuerOf = (agencyCode: string | null) =>
  agencyCode ? `Cơ quan báo cáo: ${agencyCode}` : 'Toàn tỉnh';

/**
 * Dossier statistics, Biểu 06 of Thông tư 01/2020/TT-VPCP: the table from kpi (its identities
 * checked again here before anything is rendered), row labels from the catalogue's fields.
 */
export const dossierStatistics: ReportKind<DossierStatisticsParams> = {
  kind: 'dossier-statistics',
  title: 'Tình hình, kết quả giải quyết thủ tục hành chính (Biểu 06)',
  params: DossierStatisticsParams,
  children: (p, period) => [
    child('table', 'kpi.statistics-table', { ...figureRequest(p), byProcedure: p.byProcedure }),
    child('catalogue', 'catalogue.procedure-statistics', {
      ...(p.agencyCode ? { agencyCode: p.agencyCode } : {}),
      asOf: period.to,
    }),
  ],
  assemble: (p, answers, ctx): ReportDocument => {
    const table = answer(answers, 'table', 'kpi.statistics-table');
    const catalogue = answer(answers, 'catalogue', 'catalogue.procedure-statistics');
    const block = statisticsBlock(table, fieldNamesFrom(catalogue));
    return {
      kind: 'dossier-statistics',
      title: 'TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH',
      subtitle: `Kỳ báo cáo: ${table.period.label} (từ ngày ${vnDateText(table.period.from)} đến ngày ${vnDateText(table.period.to)})`,
      issuer: issuerOf(p.agencyCode),
      agencyCode: p.agencyCode,
      period: table.period,
      dataCutAt: ctx.dataCutAt.toISOString(),
      version: ctx.version,
      sections: [],
      attachments: [block],
      figures: { statisticsTable: table },
    };
  },
};
