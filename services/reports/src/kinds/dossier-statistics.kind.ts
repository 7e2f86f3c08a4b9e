import { z } from 'zod';
import type { ReportDocument } from '../domain/document';
import { vnDateText } from '../domain/document';
import type { AppendixSheet } from '../formats/appendix.xlsx';
import { answer, child, figureRequest, PeriodParams, type ReportKind } from './kind';
import { statisticsBlock } from './statistics-table.block';

export const DossierStatisticsParams = PeriodParams.extend({
  byProcedure: z.boolean().default(false).meta({ description: 'a row per procedure under each field' }),
  appendix: z.boolean().default(false).meta({
    description:
      'add a detail appendix (XLSX, file `appendix-xlsx`) listing every dossier the table counts, with how it stood at the end of the period',
  }),
});
export type DossierStatisticsParams = z.infer<typeof DossierStatisticsParams>;

const APPENDIX_COLUMNS: AppendixSheet['columns'] = [
  { header: 'STT', width: 8, kind: 'count' },
  { header: 'Mã hồ sơ', width: 28 },
  { header: 'Mã thủ tục', width: 12 },
  { header: 'Lĩnh vực', width: 30 },
  { header: 'Cấp', width: 10 },
  { header: 'Kênh tiếp nhận', width: 14 },
  { header: 'Ngày tiếp nhận', width: 14, kind: 'date' },
  { header: 'Ngày kết thúc', width: 14, kind: 'date' },
  { header: 'Tình trạng cuối kỳ', width: 18 },
  { header: 'So với hạn', width: 12 },
  { header: 'Số lần yêu cầu bổ sung', width: 12, kind: 'count' },
];
const LEVELS: Record<string, string> = {
  province: 'Tỉnh',
  district: 'Huyện',
  commune: 'Xã',
  unknown: 'Chưa rõ',
};
const CHANNELS: Record<string, string> = { direct: 'Trực tiếp', online: 'Trực tuyến', postal: 'Bưu chính' };
const END_KINDS: Record<string, string> = {
  resolved: 'Đã giải quyết',
  returned: 'Đã trả kết quả',
  withdrawn: 'Rút hồ sơ',
  stopped: 'Dừng xử lý',
};
const OUTCOMES: Record<string, string> = { early: 'Trước hạn', on_time: 'Đúng hạn', late: 'Quá hạn' };

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
  appendix: (p, answers) => {
    if (!p.appendix) return null;
    const table = answer(answers, 'table', 'kpi.statistics-table');
    const fields = fieldNamesFrom(answer(answers, 'catalogue', 'catalogue.procedure-statistics'));
    return {
      sheet: {
        issuer: issuerOf(p.agencyCode),
        title: 'PHỤ LỤC: DANH SÁCH HỒ SƠ',
        subtitle: `Kèm theo Biểu 06, kỳ báo cáo ${table.period.label} (từ ngày ${vnDateText(table.period.from)} đến ngày ${vnDateText(table.period.to)})`,
        columns: APPENDIX_COLUMNS,
      },
      request: figureRequest(p),
      row: (r, n) => [
        n,
        r.code,
        r.procedureCode,
        r.fieldCode ? (fields.get(r.fieldCode) ?? r.fieldCode) : null,
        LEVELS[r.authorityLevel] ?? r.authorityLevel,
        r.channel ? (CHANNELS[r.channel] ?? r.channel) : null,
        r.receivedDay,
        r.endedDay,
        r.endKind ? (END_KINDS[r.endKind] ?? r.endKind) : 'Đang giải quyết',
        r.legalOutcome ? (OUTCOMES[r.legalOutcome] ?? r.legalOutcome) : null,
        r.supplementRequests,
      ],
      expectedRows: table.total.figures.received,
    };
  },
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
