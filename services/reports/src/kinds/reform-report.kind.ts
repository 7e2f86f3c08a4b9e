import type { IndicatorSet, PlanCountsResult, StatisticsTable } from '@tthc/contracts';
import type { z } from 'zod';
import type { BarChart, ReportDocument, Section, TableBlock } from '../domain/document';
import { percentText, vnDateText } from '../domain/document';
import { fieldNamesFrom, issuerOf } from './dossier-statistics.kind';
import { answer, child, figureRequest, PeriodParams, type ReportKind } from './kind';
import { ReformNarrative, TO_BE_WRITTEN } from './narrative';
import { procedureLevelsBlock, procedureParagraphs } from './procedure-statistics.kind';
import { statisticsBlock } from './statistics-table.block';

export const ReformReportParams = PeriodParams.extend({
  narrative: ReformNarrative.default({ direction: {} }),
});
export type ReformReportParams = z.infer<typeof ReformReportParams>;

function periodWords(period: { kind: string; label: string }): string {
  const [year, part] = period.label.split('-');
  if (period.kind === 'quarter') return `quý ${part?.slice(1)} năm ${year}`;
  if (period.kind === 'half') return part === 'H1' ? `6 tháng đầu năm ${year}` : `6 tháng cuối năm ${year}`;
  if (period.kind === 'month') return `tháng ${Number(part)} năm ${year}`;
  if (period.kind === 'year') return `năm ${year}`;
  return `kỳ ${period.label}`;
}

const text = (s: string | undefined) => (s && s.length > 0 ? s.split(/\n{2,}/) : [TO_BE_WRITTEN]);

function criterion(set: IndicatorSet, id: string) {
  for (const g of set.groups) for (const c of g.criteria) if (c.id === id) return c;
  return undefined;
}
function rateOf(set: IndicatorSet, id: string): string {
  const c = criterion(set, id);
  if (!c) return 'không áp dụng';
  const share = c.numerator !== null && c.denominator !== null ? ` (${c.numerator}/${c.denominator})` : '';
  return `${percentText(c.rate)}${share}`;
}

/** The criteria of Quyết định 766/QĐ-TTg that section II.6 and the assessment quote, as a table. */
function indicatorBlock(set: IndicatorSet, groups: readonly string[]): TableBlock {
  const rows: TableBlock['rows'] = [];
  for (const g of set.groups.filter((x) => groups.includes(x.id))) {
    rows.push({ cells: ['', g.name, null, null, null], emphasis: 'group' });
    g.criteria.forEach((c, i) =>
      rows.push({
        cells: [String(i + 1), c.name, c.numerator, c.denominator, c.rate === null ? null : c.rate * 100],
      }),
    );
  }
  return {
    id: 'indicators',
    title: 'Một số chỉ số theo Quyết định 766/QĐ-TTg',
    header: [
      [
        { text: 'STT' },
        { text: 'Chỉ số' },
        { text: 'Số hồ sơ / TTHC đạt' },
        { text: 'Tổng số' },
        { text: 'Tỷ lệ (%)' },
      ],
    ],
    widths: [6, 54, 14, 12, 12],
    rows,
    percentColumns: [4],
  };
}

/**
 * The shares people would rather see than read, by field: of the dossiers resolved, those early or
 * on time; of those received in the period, those filed online (plain ratios of Biểu 06's cells).
 */
function fieldChart(t: StatisticsTable, names: ReadonlyMap<string, string>): BarChart {
  const fields = t.rows.filter((r) => r.kind === 'field');
  const pct = pctOf;
  return {
    title: 'Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn và tỷ lệ hồ sơ trực tuyến theo lĩnh vực (%)',
    categories: fields.map((f) => (f.fieldCode && names.get(f.fieldCode)) || f.label),
    series: [
      {
        label: 'Trước hạn, đúng hạn',
        values: fields.map((f) =>
          pct(f.figures.resolvedEarly + f.figures.resolvedOnTime, f.figures.resolved),
        ),
      },
      {
        label: 'Nộp trực tuyến',
        values: fields.map((f) =>
          pct(f.figures.receivedOnline, f.figures.receivedOnline + f.figures.receivedDirectPostal),
        ),
      },
    ],
  };
}

const MONTHS_OF: Partial<Record<string, number>> = { quarter: 3, half: 6, year: 12 };

/** The months of a quarter, half-year or year (YYYY-MM, read on the period's own basis), oldest first. */
export function monthsOf(period: { kind: string; to: string }): string[] {
  const count = MONTHS_OF[period.kind] ?? 0;
  const [y, m] = period.to.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const k = y * 12 + (m - 1) - (count - 1 - i);
    return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
  });
}

const pctOf = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10000) / 100);

/** The same two shares month by month: how the period went, not only where it ended. */
function monthlyChart(months: { label: string; table: StatisticsTable }[]): BarChart {
  const total = (t: StatisticsTable) => t.total.figures;
  return {
    title: 'Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn và tỷ lệ hồ sơ trực tuyến theo tháng (%)',
    categories: months.map((m) => `Tháng ${Number(m.label.slice(5))}/${m.label.slice(0, 4)}`),
    series: [
      {
        label: 'Trước hạn, đúng hạn',
        values: months.map(({ table }) =>
          pctOf(total(table).resolvedEarly + total(table).resolvedOnTime, total(table).resolved),
        ),
      },
      {
        label: 'Nộp trực tuyến',
        values: months.map(({ table }) =>
          pctOf(total(table).receivedOnline, total(table).receivedOnline + total(table).receivedDirectPostal),
        ),
      },
    ],
  };
}

/**
 * Section I's figures, from the reform plan and registers kept in kpi: the tasks of the plan's
 * year as of the period's last day, the documents, inspections and communication of the period.
 */
function directionParagraphs(plan: PlanCountsResult): string[] {
  const t = plan.tasks;
  const r = plan.registers;
  return [
    `Kế hoạch cải cách hành chính năm ${plan.year}: tổng số nhiệm vụ ${t.total} (do cơ quan tự đề ra: ${plan.own.total}; do tỉnh giao: ${plan.province.total}); đến ngày ${vnDateText(plan.on)} đã hoàn thành ${t.done} (trong đó hoàn thành sau thời hạn: ${t.doneLate}); đang thực hiện trong hạn ${t.inProgress}; quá hạn chưa hoàn thành ${t.overdue}.`,
    `Số văn bản chỉ đạo, điều hành về cải cách hành chính ban hành trong kỳ: ${r.documents}.`,
    `Số cuộc kiểm tra cải cách hành chính trong kỳ: ${r.inspections}, phát hiện ${r.findings} tồn tại, hạn chế.`,
    `Số hoạt động tuyên truyền cải cách hành chính trong kỳ: ${r.communication}.`,
  ];
}

/** The plan's tasks by origin, as a table beside section I. */
function planBlock(plan: PlanCountsResult): TableBlock {
  const line = (label: string, c: PlanCountsResult['tasks'], emphasis?: 'total') => ({
    cells: [label, c.total, c.done, c.doneLate, c.inProgress, c.overdue],
    ...(emphasis ? { emphasis } : {}),
  });
  return {
    id: 'plan-tasks',
    title: `Tình hình thực hiện kế hoạch cải cách hành chính năm ${plan.year} (đến ngày ${vnDateText(plan.on)})`,
    header: [
      [
        { text: 'Nhiệm vụ' },
        { text: 'Tổng số' },
        { text: 'Đã hoàn thành' },
        { text: 'Trong đó: hoàn thành sau hạn' },
        { text: 'Đang thực hiện (trong hạn)' },
        { text: 'Quá hạn chưa hoàn thành' },
      ],
    ],
    widths: [30, 12, 14, 16, 16, 16],
    rows: [
      line('Do cơ quan tự đề ra', plan.own),
      line('Do tỉnh giao', plan.province),
      line('Tổng cộng', plan.tasks, 'total'),
    ],
  };
}

function dossierParagraphs(t: StatisticsTable, set: IndicatorSet): string[] {
  const f = t.total.figures;
  return [
    `Tổng số hồ sơ tiếp nhận: ${f.received} (trực tuyến: ${f.receivedOnline}; trực tiếp và qua dịch vụ bưu chính công ích: ${f.receivedDirectPostal}; từ kỳ trước chuyển qua: ${f.carriedOver}).`,
    `Số hồ sơ đã giải quyết: ${f.resolved} (trước hạn: ${f.resolvedEarly}; đúng hạn: ${f.resolvedOnTime}; quá hạn: ${f.resolvedLate}). Số hồ sơ đang giải quyết: ${f.inProgress} (trong hạn: ${f.inProgressWithinTime}; quá hạn: ${f.inProgressOverdue}).`,
    `Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn: ${rateOf(set, 'progress.on_time')}. Chi tiết tại Biểu số 06 kèm theo.`,
  ];
}

/**
 * The quarterly, half-yearly and yearly report on administrative reform, in the outline the
 * Department of Home Affairs sets (domain.md, Reports): I. direction, II. results by area, III.
 * assessment, IV. next steps, V. proposals; every figure the suite holds filled in (catalogue,
 * Biểu 06, the indicators of Quyết định 766/QĐ-TTg), the rest the officer's narrative; Biểu 06
 * attached.
 */
export const reformReport: ReportKind<ReformReportParams> = {
  kind: 'reform-report',
  title: 'Báo cáo công tác cải cách hành chính',
  params: ReformReportParams,
  children: (p, period) => [
    child('table', 'kpi.statistics-table', { ...figureRequest(p), byProcedure: false }),
    ...monthsOf(period).map((month) =>
      child(`month-${month}`, 'kpi.statistics-table', {
        ...figureRequest(p),
        period: month,
        byProcedure: false,
      }),
    ),
    child('indicators', 'kpi.indicator-set', figureRequest(p)),
    child('plan', 'kpi.plan-counts', figureRequest(p)),
    child('catalogue', 'catalogue.procedure-statistics', {
      ...(p.agencyCode ? { agencyCode: p.agencyCode } : {}),
      asOf: period.to,
      from: period.from,
    }),
  ],
  assemble: (p, answers, ctx): ReportDocument => {
    const table = answer(answers, 'table', 'kpi.statistics-table');
    const set = answer(answers, 'indicators', 'kpi.indicator-set');
    const catalogue = answer(answers, 'catalogue', 'catalogue.procedure-statistics');
    const plan = answer(answers, 'plan', 'kpi.plan-counts');
    const months = monthsOf(table.period).map((label) => ({
      label,
      table: answer(answers, `month-${label}`, 'kpi.statistics-table'),
    }));
    const n = p.narrative;
    const d = n.direction;
    const sections: Section[] = [
      {
        heading: 'CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH',
        paragraphs: [
          ...directionParagraphs(plan),
          ...(d.text ? text(d.text) : []),
          ...(d.communication
            ? [`Công tác tuyên truyền: ${d.communication}`]
            : [`Công tác tuyên truyền: ${TO_BE_WRITTEN}`]),
        ],
        table: planBlock(plan),
      },
      {
        heading: 'KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH',
        paragraphs: [],
        subsections: [
          { heading: 'Cải cách thể chế', paragraphs: text(n.institutions) },
          {
            heading: 'Cải cách thủ tục hành chính',
            paragraphs: [
              ...procedureParagraphs(catalogue),
              ...dossierParagraphs(table, set),
              ...(n.procedures ? text(n.procedures) : []),
            ],
            table: procedureLevelsBlock(catalogue),
            chart: fieldChart(table, fieldNamesFrom(catalogue)),
          },
          { heading: 'Cải cách tổ chức bộ máy hành chính nhà nước', paragraphs: text(n.organisation) },
          { heading: 'Cải cách chế độ công vụ', paragraphs: text(n.civilService) },
          { heading: 'Cải cách tài chính công', paragraphs: text(n.publicFinance) },
          {
            heading: 'Xây dựng và phát triển Chính quyền điện tử, Chính quyền số',
            paragraphs: [
              `Tỷ lệ hồ sơ nộp trực tuyến: ${rateOf(set, 'online.dossiers_online')}; dịch vụ công trực tuyến phát sinh hồ sơ: ${rateOf(set, 'online.services_used')}.`,
              `Tỷ lệ hồ sơ thanh toán trực tuyến: ${rateOf(set, 'payment.dossiers_paid_online')}.`,
              `Tỷ lệ hồ sơ được số hóa thành phần hồ sơ và kết quả: ${rateOf(set, 'digitization.digitized')}; hồ sơ được cấp kết quả điện tử: ${rateOf(set, 'digitization.e_result')}; khai thác, sử dụng lại dữ liệu số hóa: ${rateOf(set, 'digitization.reuse')}.`,
              `Phản ánh, kiến nghị xử lý đúng hạn: ${rateOf(set, 'satisfaction.feedback_on_time')}; mức độ hài lòng trong giải quyết hồ sơ: ${rateOf(set, 'satisfaction.dossier_handling')}.`,
              `Điểm Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg): ${set.total.points.toLocaleString('vi-VN', { maximumFractionDigits: 2 })}/${set.total.applicableMax} điểm.`,
              ...(n.eGovernment ? text(n.eGovernment) : []),
            ],
            table: indicatorBlock(set, ['online', 'payment', 'digitization', 'satisfaction']),
            ...(months.length > 1 ? { chart: monthlyChart(months) } : {}),
          },
        ],
      },
      { heading: 'ĐÁNH GIÁ CHUNG', paragraphs: text(n.assessment) },
      { heading: 'PHƯƠNG HƯỚNG, NHIỆM VỤ TRỌNG TÂM KỲ TỚI', paragraphs: text(n.nextSteps) },
      { heading: 'ĐỀ XUẤT, KIẾN NGHỊ', paragraphs: text(n.proposals) },
    ];
    const words = periodWords(table.period);
    return {
      kind: 'reform-report',
      title: `BÁO CÁO CÔNG TÁC CẢI CÁCH HÀNH CHÍNH ${words.toUpperCase()}`,
      subtitle: `Kỳ báo cáo: từ ngày ${vnDateText(table.period.from)} đến ngày ${vnDateText(table.period.to)}`,
      issuer: issuerOf(p.agencyCode),
      agencyCode: p.agencyCode,
      period: table.period,
      dataCutAt: ctx.dataCutAt.toISOString(),
      version: ctx.version,
      sections,
      attachments: [statisticsBlock(table, fieldNamesFrom(catalogue))],
      figures: { statisticsTable: table, indicatorSet: set, catalogue, plan, narrative: n },
    };
  },
};
