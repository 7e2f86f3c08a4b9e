import type { IndicatorSet, ScorecardResult } from '@tthc/contracts';
import { AgencyCode } from '@tthc/contracts';
import { z } from 'zod';
import type { BarChart, ReportDocument, Section, TableBlock } from '../domain/document';
import { vnDateText } from '../domain/document';
import { answer, child, figureRequest, PeriodParams, type ReportKind } from './kind';

export const ScorecardParams = PeriodParams.extend({
  agencyCode: AgencyCode.meta({ description: 'the agency whose targets and reform index are reported' }),
  basis: z.literal('calendar').default('calendar').meta({
    description: 'calendar periods only: targets are set per calendar year',
  }),
  framework: z.string().min(1).max(50).optional().meta({
    description: 'the reform-index framework code; absent: every framework of the year',
    example: 'PAR-SYT',
  }),
});
export type ScorecardParams = z.infer<typeof ScorecardParams>;

const points = (n: number | null) =>
  n === null ? '—' : n.toLocaleString('vi-VN', { maximumFractionDigits: 2 });
const COMPARATOR = { at_least: '≥', at_most: '≤', equal: '=' } as const;
const UNIT: Record<string, string> = { percent: '%', count: 'hồ sơ', points: 'điểm' };
const unitOf = (u: string) => UNIT[u] ?? u;
const metText = (m: boolean | null) => (m === null ? 'Chưa có số liệu' : m ? 'Đạt' : 'Không đạt');

/** The indicator groups of Quyết định 766/QĐ-TTg with their points. */
function groupsBlock(set: IndicatorSet): TableBlock {
  return {
    id: 'indicator-groups',
    title: 'Điểm Bộ chỉ số phục vụ người dân, doanh nghiệp theo nhóm chỉ số',
    header: [
      [
        { text: 'STT' },
        { text: 'Nhóm chỉ số' },
        { text: 'Điểm đạt' },
        { text: 'Điểm tối đa (áp dụng)' },
        { text: 'Quy đổi thang 100' },
      ],
    ],
    widths: [6, 50, 14, 16, 14],
    rows: [
      ...set.groups.map((g, i) => ({ cells: [String(i + 1), g.name, g.points, g.applicableMax, g.scaled] })),
      {
        cells: ['', 'Tổng cộng', set.total.points, set.total.applicableMax, set.total.scaled],
        emphasis: 'total' as const,
      },
    ],
    percentColumns: [2, 3, 4],
  };
}

/** Each target with its actual value over the period, met or not, and the gap. */
function targetsBlock(card: ScorecardResult): TableBlock {
  return {
    id: 'targets',
    title: `Chỉ tiêu năm ${card.year} và kết quả thực hiện đến ngày ${vnDateText(card.period.to)}`,
    header: [
      [
        { text: 'STT' },
        { text: 'Chỉ tiêu' },
        { text: 'Đơn vị' },
        { text: 'So sánh' },
        { text: 'Chỉ tiêu đặt ra' },
        { text: 'Thực hiện' },
        { text: 'Đánh giá' },
        { text: 'Chênh lệch' },
      ],
    ],
    widths: [6, 40, 8, 8, 12, 12, 12, 12],
    rows: card.lines.map((l, i) => ({
      cells: [
        String(i + 1),
        l.name,
        unitOf(l.unit),
        COMPARATOR[l.comparator],
        l.target,
        l.actual,
        metText(l.met),
        l.gap,
      ],
    })),
    percentColumns: [4, 5, 7],
  };
}

/** The month-by-month values of the targets (January to the period's last month). */
function trendBlock(card: ScorecardResult): TableBlock | undefined {
  const months = [...new Set(card.lines.flatMap((l) => l.trend.map((t) => t.month)))].sort();
  if (months.length === 0) return undefined;
  return {
    id: 'trend',
    title: 'Diễn biến theo tháng',
    header: [[{ text: 'Chỉ tiêu' }, ...months.map((m) => ({ text: `Tháng ${Number(m.slice(5, 7))}` }))]],
    widths: [34, ...months.map(() => Math.max(6, Math.floor(66 / months.length)))],
    rows: card.lines
      .filter((l) => l.trend.length > 0)
      .map((l) => ({
        cells: [l.name, ...months.map((m) => l.trend.find((t) => t.month === m)?.actual ?? null)],
      })),
    percentColumns: months.map((_, i) => i + 1),
  };
}

/** The targets in percent over the months, as a chart (the others are read from the table). */
function trendChart(card: ScorecardResult): BarChart | undefined {
  const lines = card.lines.filter((l) => l.unit === 'percent' && l.trend.length > 0);
  const months = [...new Set(lines.flatMap((l) => l.trend.map((t) => t.month)))].sort();
  if (lines.length === 0 || months.length === 0) return undefined;
  return {
    title: 'Diễn biến các chỉ tiêu tỷ lệ theo tháng (%)',
    categories: months.map((m) => `Tháng ${Number(m.slice(5, 7))}`),
    series: lines.map((l) => ({
      label: l.name,
      values: months.map((m) => l.trend.find((t) => t.month === m)?.actual ?? null),
    })),
  };
}

type Manual = ScorecardResult['frameworks'][number]['rows'][number]['appraisal'];
const SOURCE = { computed: 'Tính từ số liệu', appraisal: 'Thẩm định', self: 'Tự đánh giá' } as const;

/** The evidence of the score that counts (the appraisal wins over the self-assessment). */
function evidenceText(m: Manual): string {
  if (!m) return '';
  const items = m.evidence.map((e) =>
    [e.documentNumber, e.attachmentName, e.link].filter(Boolean).join(', '),
  );
  return [...items, ...(m.comment ? [`Nhận xét: ${m.comment}`] : [])].join('; ');
}

/** A reform-index framework's result: its tree with points, where they came from and the evidence. */
function frameworkBlock(f: ScorecardResult['frameworks'][number]): TableBlock {
  return {
    id: `framework-${f.code}`,
    title: `${f.name} năm ${f.year}`,
    subtitle: f.frozen
      ? 'Kết quả đã công bố'
      : `Kết quả tạm tính${f.complete ? '' : ' (còn tiêu chí chưa chấm điểm)'}`,
    header: [
      [
        { text: 'Mã' },
        { text: 'Lĩnh vực, tiêu chí' },
        { text: 'Điểm tối đa' },
        { text: 'Điểm đạt' },
        { text: 'Nguồn điểm' },
        { text: 'Tài liệu kiểm chứng' },
      ],
    ],
    widths: [8, 40, 10, 10, 12, 30],
    rows: [
      ...f.rows.map((r) => ({
        cells: [
          r.code,
          r.name,
          r.maxPoints,
          r.points,
          r.source ? SOURCE[r.source] : '',
          evidenceText(
            r.source === 'appraisal' ? r.appraisal : r.source === 'self' ? r.selfAssessment : null,
          ),
        ],
        ...(r.depth === 0 ? { emphasis: 'group' as const } : {}),
      })),
      { cells: ['', 'Tổng cộng', f.max, f.total, '', ''], emphasis: 'total' as const },
    ],
    percentColumns: [2, 3],
  };
}

/**
 * An agency's scorecard: the indicator groups of Quyết định 766/QĐ-TTg with points, its targets
 * of the year with actual, met and gap and the monthly trend, and the reform-index result with the
 * evidence of its manual scores; every figure from kpi.
 */
export const scorecard: ReportKind<ScorecardParams> = {
  kind: 'scorecard',
  title: 'Kết quả thực hiện chỉ tiêu và chỉ số cải cách hành chính',
  params: ScorecardParams,
  children: (p) => [
    child('indicators', 'kpi.indicator-set', figureRequest(p)),
    child('scorecard', 'kpi.scorecard', {
      period: p.period,
      agencyCode: p.agencyCode,
      ...(p.framework ? { framework: p.framework } : {}),
    }),
  ],
  assemble: (p, answers, ctx): ReportDocument => {
    const set = answer(answers, 'indicators', 'kpi.indicator-set');
    const card = answer(answers, 'scorecard', 'kpi.scorecard');
    const s = card.summary;
    const trend = trendBlock(card);
    const chart = trendChart(card);
    const sections: Section[] = [
      {
        heading: 'BỘ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP',
        paragraphs: [
          `Tổng điểm: ${points(set.total.points)}/${points(set.total.applicableMax)} điểm áp dụng (quy đổi ${points(set.total.scaled)}/100).`,
        ],
        table: groupsBlock(set),
      },
      {
        heading: 'KẾT QUẢ THỰC HIỆN CHỈ TIÊU',
        paragraphs: [
          `Số chỉ tiêu: ${s.targets}; đạt: ${s.met}; không đạt: ${s.notMet}; chưa có số liệu: ${s.noData}.`,
        ],
        table: targetsBlock(card),
        ...(trend
          ? {
              subsections: [
                {
                  heading: 'Diễn biến theo tháng',
                  paragraphs: [],
                  table: trend,
                  ...(chart ? { chart } : {}),
                },
              ],
            }
          : {}),
      },
      {
        heading: 'CHỈ SỐ CẢI CÁCH HÀNH CHÍNH',
        paragraphs:
          card.frameworks.length === 0
            ? [`Chưa có bộ tiêu chí chỉ số cải cách hành chính năm ${card.year}.`]
            : card.frameworks.map(
                (f) =>
                  `${f.name}: ${points(f.total)}/${points(f.max)} điểm (${f.frozen ? 'đã công bố' : 'tạm tính'}).`,
              ),
        subsections: card.frameworks.map((f) => ({
          heading: `${f.name} (${f.code})`,
          paragraphs: [],
          table: frameworkBlock(f),
        })),
      },
    ];
    return {
      kind: 'scorecard',
      title: `KẾT QUẢ THỰC HIỆN CHỈ TIÊU VÀ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM ${card.year}`,
      subtitle: `Kỳ báo cáo: ${card.period.label} (từ ngày ${vnDateText(card.period.from)} đến ngày ${vnDateText(card.period.to)})`,
      issuer: `Cơ quan báo cáo: ${p.agencyCode}`,
      agencyCode: p.agencyCode,
      period: card.period,
      dataCutAt: ctx.dataCutAt.toISOString(),
      version: ctx.version,
      sections,
      attachments: [],
      figures: { indicatorSet: set, scorecard: card },
    };
  },
};
