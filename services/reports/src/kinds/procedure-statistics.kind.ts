import type { CatalogueStatistics } from '@tthc/contracts';
import type { ReportDocument, TableBlock } from '../domain/document';
import { percentText, vnDateText } from '../domain/document';
import { issuerOf } from './dossier-statistics.kind';
import { answer, child, PeriodParams, type ReportKind } from './kind';

const LEVEL_COLUMNS = ['full', 'partial', 'none'] as const;

/** Procedures in force by field and online level (Nghị định 42/2022), with the legacy levels 3 and 4 (Nghị định 43/2011). */
export function procedureLevelsBlock(stats: CatalogueStatistics): TableBlock {
  const fields = new Map<
    string,
    { name: string; full: number; partial: number; none: number; l3: number; l4: number }
  >();
  for (const r of stats.byField) {
    if (r.status !== 'published') continue;
    const f = fields.get(r.fieldCode) ?? { name: r.fieldName, full: 0, partial: 0, none: 0, l3: 0, l4: 0 };
    f[r.onlineLevel] += r.count;
    if (r.legacyLevel === 3) f.l3 += r.count;
    if (r.legacyLevel === 4) f.l4 += r.count;
    fields.set(r.fieldCode, f);
  }
  const rowOf = (f: { full: number; partial: number; none: number; l3: number; l4: number }) => [
    f.full + f.partial + f.none,
    ...LEVEL_COLUMNS.map((k) => f[k]),
    f.l3,
    f.l4,
  ];
  const sorted = [...fields.entries()].sort(([a], [b]) => a.localeCompare(b));
  const total = sorted.reduce(
    (t, [, f]) => ({
      full: t.full + f.full,
      partial: t.partial + f.partial,
      none: t.none + f.none,
      l3: t.l3 + f.l3,
      l4: t.l4 + f.l4,
    }),
    { full: 0, partial: 0, none: 0, l3: 0, l4: 0 },
  );
  return {
    id: 'procedures-by-level',
    title: 'Thủ tục hành chính đang có hiệu lực theo lĩnh vực và mức độ dịch vụ công trực tuyến',
    subtitle: `Tính đến ngày ${vnDateText(stats.asOf)}`,
    header: [
      [
        { text: 'STT', rowSpan: 2 },
        { text: 'Lĩnh vực', rowSpan: 2 },
        { text: 'Tổng số TTHC', rowSpan: 2 },
        { text: 'Dịch vụ công trực tuyến (Nghị định 42/2022/NĐ-CP)', colSpan: 3 },
        { text: 'Mức độ (Nghị định 43/2011/NĐ-CP)', colSpan: 2 },
      ],
      [
        { text: 'Toàn trình' },
        { text: 'Một phần' },
        { text: 'Chưa trực tuyến' },
        { text: 'Mức độ 3' },
        { text: 'Mức độ 4' },
      ],
    ],
    widths: [6, 34, 10, 10, 10, 10, 10, 10],
    rows: [
      { cells: ['', 'Tổng cộng', ...rowOf(total)], emphasis: 'total' },
      ...sorted.map(([, f], i) => ({ cells: [String(i + 1), f.name, ...rowOf(f)] })),
    ],
  };
}

/** Publications, amendments and abolitions of the period, each with its decision. */
export function procedureChangesBlock(stats: CatalogueStatistics): TableBlock {
  const rows: TableBlock['rows'] = [];
  const groups = [
    ['published', 'TTHC công bố mới'],
    ['amended', 'TTHC sửa đổi, bổ sung'],
    ['abolished', 'TTHC bãi bỏ'],
  ] as const;
  groups.forEach(([key, label], g) => {
    const list = stats.changes[key];
    rows.push({
      cells: [['I', 'II', 'III'][g]!, `${label}: ${list.length}`, null, null, null],
      emphasis: 'group',
    });
    list.forEach((c, i) =>
      rows.push({
        cells: [
          String(i + 1),
          c.name,
          c.code,
          c.decisionNumber ?? '',
          c.signedOn ? vnDateText(c.signedOn) : vnDateText(c.effectiveFrom),
        ],
      }),
    );
  });
  return {
    id: 'procedure-changes',
    title: 'Thủ tục hành chính được công bố, sửa đổi, bổ sung, bãi bỏ trong kỳ',
    header: [
      [
        { text: 'STT' },
        { text: 'Tên thủ tục hành chính' },
        { text: 'Mã TTHC' },
        { text: 'Quyết định công bố' },
        { text: 'Ngày ký' },
      ],
    ],
    widths: [6, 50, 14, 16, 12],
    rows,
  };
}

/**
 * The procedures handled at the one-stop desk, by field: those in force whose receiving agency
 * is a public administration service centre or a people committee's Bộ phận Một cửa (the
 * catalogue's receiving agency and its kind).
 */
export function oneStopDeskBlock(stats: CatalogueStatistics): TableBlock {
  const d = stats.oneStopDesk;
  return {
    id: 'one-stop-desk',
    title: 'Thủ tục hành chính tiếp nhận tại Bộ phận Một cửa',
    subtitle: `Tính đến ngày ${vnDateText(stats.asOf)}`,
    header: [[{ text: 'STT' }, { text: 'Lĩnh vực' }, { text: 'Số TTHC' }]],
    widths: [6, 60, 14],
    rows: [
      { cells: ['', 'Tổng cộng', d.total], emphasis: 'total' },
      ...[...d.byField]
        .sort((a, b) => a.fieldCode.localeCompare(b.fieldCode))
        .map((f, i) => ({ cells: [String(i + 1), f.fieldName, f.count] })),
    ],
  };
}

/** The one-stop desk sentence: the total, then each desk with its count. */
export function oneStopDeskParagraph(stats: CatalogueStatistics): string {
  const d = stats.oneStopDesk;
  const desks = d.desks.map((x) => `${x.name}: ${x.count}`).join('; ');
  return `Số thủ tục hành chính tiếp nhận tại Bộ phận Một cửa: ${d.total}${desks ? ` (${desks})` : ''}.`;
}

/** Sentences of the catalogue's figures, shared with the reform report (section II.2). */
export function procedureParagraphs(stats: CatalogueStatistics): string[] {
  const l = stats.publishedByLevel;
  return [
    `Tổng số thủ tục hành chính đang có hiệu lực: ${l.total}; trong đó dịch vụ công trực tuyến toàn trình: ${l.online.full}, một phần: ${l.online.partial}, chưa cung cấp trực tuyến: ${l.online.none} (mức độ 3: ${l.legacy.level3}, mức độ 4: ${l.legacy.level4}).`,
    oneStopDeskParagraph(stats),
    `Trong kỳ đã công bố mới ${stats.changes.published.length}, sửa đổi, bổ sung ${stats.changes.amended.length} và bãi bỏ ${stats.changes.abolished.length} thủ tục hành chính.`,
    `Tỷ lệ thủ tục hành chính cung cấp dịch vụ công trực tuyến: ${percentText(stats.shares.online.rate)}; có phí, lệ phí: ${percentText(stats.shares.feeBearing.rate)}; công khai đầy đủ nội dung: ${percentText(stats.shares.completeContent.rate)}.`,
    `Quyết định công bố ban hành đúng hạn: ${stats.timeliness.decisionsIssuedOnTime.count}/${stats.timeliness.decisionsIssuedOnTime.total}; công khai đúng hạn trên Cơ sở dữ liệu quốc gia: ${stats.timeliness.madePublicOnTime.count}/${stats.timeliness.madePublicOnTime.total}.`,
  ];
}

/**
 * Procedure statistics: the catalogue by field and online level, the changes of the period, and
 * the procedures handled at the one-stop desk.
 */
export const procedureStatistics: ReportKind<PeriodParams> = {
  kind: 'procedure-statistics',
  title: 'Thống kê thủ tục hành chính',
  params: PeriodParams,
  children: (p, period) => [
    child('catalogue', 'catalogue.procedure-statistics', {
      ...(p.agencyCode ? { agencyCode: p.agencyCode } : {}),
      asOf: period.to,
      from: period.from,
    }),
  ],
  assemble: (p, answers, ctx): ReportDocument => {
    const stats = answer(answers, 'catalogue', 'catalogue.procedure-statistics');
    const period = {
      label: p.period,
      from: stats.period?.from ?? stats.asOf,
      to: stats.asOf,
      basis: p.basis,
    };
    return {
      kind: 'procedure-statistics',
      title: 'THỐNG KÊ THỦ TỤC HÀNH CHÍNH',
      subtitle: `Kỳ báo cáo: ${p.period} (từ ngày ${vnDateText(period.from)} đến ngày ${vnDateText(period.to)})`,
      issuer: issuerOf(p.agencyCode),
      agencyCode: p.agencyCode,
      period,
      dataCutAt: ctx.dataCutAt.toISOString(),
      version: ctx.version,
      sections: [{ heading: 'Tổng hợp', paragraphs: procedureParagraphs(stats) }],
      attachments: [procedureLevelsBlock(stats), procedureChangesBlock(stats), oneStopDeskBlock(stats)],
      figures: { catalogue: stats },
    };
  },
};
