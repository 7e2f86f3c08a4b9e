import type {
  CatalogueStatistics,
  IndicatorSet,
  PlanCountsResult,
  ScorecardResult,
  StatisticsTable,
} from '@tthc/contracts';

/**
 * A known fact set, as the owning services answer it: Biểu 06 of 2026-Q1 for Sở Y tế (two fields
 * at province level, one at district level), the catalogue of the period and the indicator set.
 */
const figures = (
  online: number,
  directPostal: number,
  carriedOver: number,
  early: number,
  onTime: number,
  late: number,
  within: number,
  overdue: number,
) => ({
  received: online + directPostal + carriedOver,
  receivedOnline: online,
  receivedDirectPostal: directPostal,
  carriedOver,
  resolved: early + onTime + late,
  resolvedEarly: early,
  resolvedOnTime: onTime,
  resolvedLate: late,
  inProgress: within + overdue,
  inProgressWithinTime: within,
  inProgressOverdue: overdue,
});

export const COLUMNS = [
  { key: 'received', number: 3, group: 'Số hồ sơ nhận giải quyết', label: 'Tổng số' },
  { key: 'receivedOnline', number: 4, group: 'Số hồ sơ nhận giải quyết', label: 'Trong kỳ: trực tuyến' },
  {
    key: 'receivedDirectPostal',
    number: 5,
    group: 'Số hồ sơ nhận giải quyết',
    label: 'Trong kỳ: trực tiếp, dịch vụ bưu chính',
  },
  { key: 'carriedOver', number: 6, group: 'Số hồ sơ nhận giải quyết', label: 'Từ kỳ trước chuyển qua' },
  { key: 'resolved', number: 7, group: 'Số lượng hồ sơ đã giải quyết', label: 'Tổng số' },
  { key: 'resolvedEarly', number: 8, group: 'Số lượng hồ sơ đã giải quyết', label: 'Trả trước hạn' },
  {
    key: 'resolvedOnTime',
    number: 9,
    group: 'Số lượng hồ sơ đã giải quyết',
    label: 'Trả đúng hạn (bao gồm hồ sơ trả lại, xin rút)',
  },
  { key: 'resolvedLate', number: 10, group: 'Số lượng hồ sơ đã giải quyết', label: 'Trả quá hạn' },
  { key: 'inProgress', number: 11, group: 'Số lượng hồ sơ đang giải quyết', label: 'Tổng số' },
  { key: 'inProgressWithinTime', number: 12, group: 'Số lượng hồ sơ đang giải quyết', label: 'Trong hạn' },
  { key: 'inProgressOverdue', number: 13, group: 'Số lượng hồ sơ đang giải quyết', label: 'Quá hạn' },
];

const row = (
  id: string,
  kind: 'total' | 'level' | 'field',
  level: string | null,
  field: string | null,
  label: string,
  f: ReturnType<typeof figures>,
) => ({ id, kind, authorityLevel: level, fieldCode: field, procedureCode: null, label, figures: f });

export const PERIOD = {
  kind: 'quarter' as const,
  basis: 'calendar' as const,
  label: '2026-Q1',
  from: '2026-01-01',
  to: '2026-03-31',
};

export function statisticsTable(): StatisticsTable {
  return {
    form: 'Biểu 06 (Thông tư 01/2020/TT-VPCP)',
    period: PERIOD,
    agencies: { reportingAgency: '000.00.17.H55', agencyCodes: ['000.00.17.H55'], tree: 'code' },
    fieldCode: null,
    procedureCode: null,
    byProcedure: false,
    columns: COLUMNS,
    total: row('total', 'total', null, null, 'Tổng cộng', figures(10, 7, 3, 8, 5, 2, 3, 2)),
    rows: [
      row('level:province', 'level', 'province', null, 'Cấp tỉnh', figures(9, 5, 3, 6, 5, 2, 3, 1)),
      row(
        'field:province:DUOC_PHAM',
        'field',
        'province',
        'DUOC_PHAM',
        'DUOC_PHAM',
        figures(7, 3, 2, 5, 3, 1, 2, 1),
      ),
      row(
        'field:province:KHAM_CHUA_BENH',
        'field',
        'province',
        'KHAM_CHUA_BENH',
        'KHAM_CHUA_BENH',
        figures(2, 2, 1, 1, 2, 1, 1, 0),
      ),
      row('level:district', 'level', 'district', null, 'Cấp huyện', figures(1, 2, 0, 2, 0, 0, 0, 1)),
      row(
        'field:district:Y_TE_DU_PHONG',
        'field',
        'district',
        'Y_TE_DU_PHONG',
        'Y_TE_DU_PHONG',
        figures(1, 2, 0, 2, 0, 0, 0, 1),
      ),
    ],
    comparison: null,
  };
}

export function catalogueStatistics(): CatalogueStatistics {
  const change = (code: string, name: string, decision: string) => ({
    code,
    name,
    fieldCode: 'DUOC_PHAM',
    version: 1,
    decisionNumber: decision,
    signedOn: '2026-02-10',
    effectiveFrom: '2026-02-15',
  });
  return {
    agencyCode: '000.00.17.H55',
    asOf: '2026-03-31',
    period: { from: '2026-01-01', to: '2026-03-31' },
    byField: [
      {
        fieldCode: 'DUOC_PHAM',
        fieldName: 'Dược phẩm',
        onlineLevel: 'full',
        legacyLevel: 4,
        status: 'published',
        count: 8,
      },
      {
        fieldCode: 'DUOC_PHAM',
        fieldName: 'Dược phẩm',
        onlineLevel: 'partial',
        legacyLevel: 3,
        status: 'published',
        count: 4,
      },
      {
        fieldCode: 'KHAM_CHUA_BENH',
        fieldName: 'Khám bệnh, chữa bệnh',
        onlineLevel: 'none',
        legacyLevel: null,
        status: 'published',
        count: 3,
      },
      {
        fieldCode: 'Y_TE_DU_PHONG',
        fieldName: 'Y tế dự phòng',
        onlineLevel: 'full',
        legacyLevel: 4,
        status: 'published',
        count: 2,
      },
      {
        fieldCode: 'Y_TE_DU_PHONG',
        fieldName: 'Y tế dự phòng',
        onlineLevel: 'full',
        legacyLevel: 4,
        status: 'abolished',
        count: 1,
      },
    ],
    totals: { draft: 0, published: 17, suspended: 0, abolished: 1 },
    publishedByLevel: {
      total: 17,
      online: { full: 10, partial: 4, none: 3 },
      legacy: { level1: 0, level2: 0, level3: 4, level4: 10, none: 3 },
    },
    shares: {
      online: { count: 14, total: 17, rate: 14 / 17 },
      feeBearing: { count: 9, total: 17, rate: 9 / 17 },
      completeContent: { count: 17, total: 17, rate: 1 },
    },
    changes: {
      published: [change('1.004579', 'Cấp giấy chứng nhận đủ điều kiện kinh doanh dược', '184/QĐ-UBND')],
      amended: [],
      abolished: [change('1.001919', 'Cấp lại chứng chỉ hành nghề dược', '185/QĐ-UBND')],
    },
    timeliness: {
      decisionsIssuedOnTime: { count: 1, total: 1, rate: 1 },
      madePublicOnTime: { count: 1, total: 1, rate: 1, notYetRecorded: 0 },
    },
    oneStopDesk: {
      total: 15,
      desks: [
        {
          agencyCode: '000.20.17.H55',
          name: 'Trung tâm Phục vụ hành chính công tỉnh',
          kind: 'service_center',
          count: 13,
        },
        {
          agencyCode: '000.00.31.H55',
          name: 'Ủy ban nhân dân huyện Đông Sơn',
          kind: 'people_committee',
          count: 2,
        },
      ],
      byField: [
        { fieldCode: 'DUOC_PHAM', fieldName: 'Dược phẩm', count: 12 },
        { fieldCode: 'Y_TE_DU_PHONG', fieldName: 'Y tế dự phòng', count: 2 },
        { fieldCode: 'KHAM_CHUA_BENH', fieldName: 'Khám bệnh, chữa bệnh', count: 1 },
      ],
    },
  };
}

const criterion = (
  id: string,
  group: string,
  name: string,
  numerator: number,
  denominator: number,
  max: number,
) => ({
  id,
  group,
  name,
  source: 'Quyết định 766/QĐ-TTg',
  numerator,
  denominator,
  rate: numerator / denominator,
  ratePercent: Math.round((numerator / denominator) * 10000) / 100,
  threshold: null,
  points: max * (numerator / denominator),
  max,
  status: 'scored' as const,
  note: null,
});

export function indicatorSet(): IndicatorSet {
  const groups = [
    {
      id: 'progress',
      name: 'Tiến độ giải quyết',
      criteria: [
        criterion('progress.on_time', 'progress', 'Giải quyết hồ sơ trước hạn, đúng hạn', 16, 20, 20),
      ],
    },
    {
      id: 'online',
      name: 'Dịch vụ trực tuyến',
      criteria: [criterion('online.dossiers_online', 'online', 'Hồ sơ nộp trực tuyến', 10, 17, 6)],
    },
    {
      id: 'payment',
      name: 'Thanh toán trực tuyến',
      criteria: [
        criterion(
          'payment.dossiers_paid_online',
          'payment',
          'Hồ sơ có nghĩa vụ tài chính được thanh toán trực tuyến',
          3,
          4,
          6,
        ),
      ],
    },
    {
      id: 'digitization',
      name: 'Số hóa hồ sơ',
      criteria: [
        criterion('digitization.e_result', 'digitization', 'Hồ sơ được cấp kết quả điện tử', 12, 15, 6),
      ],
    },
    {
      id: 'satisfaction',
      name: 'Mức độ hài lòng',
      criteria: [
        criterion(
          'satisfaction.dossier_handling',
          'satisfaction',
          'Mức độ hài lòng trong giải quyết hồ sơ',
          18,
          20,
          6,
        ),
      ],
    },
  ].map((g) => {
    const points = g.criteria.reduce((n, c) => n + c.points, 0);
    const max = g.criteria.reduce((n, c) => n + c.max, 0);
    return { ...g, points, max, applicableMax: max, scaled: (points / max) * 100 };
  });
  const points = groups.reduce((n, g) => n + g.points, 0);
  return {
    ruleSet: {
      id: 'QD766-2023',
      name: 'Bộ chỉ số (Quyết định 766/QĐ-TTg)',
      legalBasis: 'Quyết định 766/QĐ-TTg ngày 23/6/2023',
      effectiveFrom: '2023-06-23',
      params: {},
    },
    period: PERIOD,
    agencies: { reportingAgency: '000.00.17.H55', agencyCodes: ['000.00.17.H55'], tree: 'code' },
    total: { points, max: 44, applicableMax: 44, scaled: (points / 44) * 100 },
    groups,
    comparison: null,
  };
}

/** The expected Biểu 06 body, row by row: STT, label, then columns (3)–(13). */
export const EXPECTED_ROWS = [
  ['', 'Tổng cộng', 20, 10, 7, 3, 15, 8, 5, 2, 5, 3, 2],
  ['I', 'Cấp tỉnh', 17, 9, 5, 3, 13, 6, 5, 2, 4, 3, 1],
  ['1', 'Dược phẩm', 12, 7, 3, 2, 9, 5, 3, 1, 3, 2, 1],
  ['2', 'Khám bệnh, chữa bệnh', 5, 2, 2, 1, 4, 1, 2, 1, 1, 1, 0],
  ['II', 'Cấp huyện', 3, 1, 2, 0, 2, 2, 0, 0, 1, 0, 1],
  ['1', 'Y tế dự phòng', 3, 1, 2, 0, 2, 2, 0, 0, 1, 0, 1],
];

/** The reform plan of 2026 as kpi counts it at the end of 2026-Q1, and the registers of the quarter. */
export function planCounts(): PlanCountsResult {
  return {
    period: PERIOD,
    agencies: { reportingAgency: '000.00.17.H55', agencyCodes: ['000.00.17.H55'], tree: 'code' },
    year: 2026,
    on: '2026-03-31',
    tasks: { total: 14, done: 6, doneLate: 1, inProgress: 6, overdue: 2 },
    own: { total: 9, done: 4, doneLate: 1, inProgress: 4, overdue: 1 },
    province: { total: 5, done: 2, doneLate: 0, inProgress: 2, overdue: 1 },
    registers: { documents: 7, inspections: 3, findings: 11, communication: 5 },
  };
}

/**
 * Sở Y tế's scorecard for 2026-Q1 as kpi answers it: three targets (one met, one not, one with
 * no data yet) with their months, and the reform-index framework PAR-SYT with an appraised and a
 * self-assessed criterion carrying their evidence.
 */
export function scorecardResult(): ScorecardResult {
  const month = (m: string, actual: number | null, met: boolean | null) => ({ month: m, actual, met });
  return {
    period: PERIOD,
    year: 2026,
    agencyCode: '000.00.17.H55',
    agencies: ['000.00.17.H55'],
    summary: { targets: 3, met: 1, notMet: 1, noData: 1 },
    lines: [
      {
        indicator: 'criterion:online.dossiers_online',
        name: 'Tỷ lệ hồ sơ nộp trực tuyến',
        unit: 'percent',
        comparator: 'at_least',
        target: 50,
        actual: 58.82,
        met: true,
        gap: 8.82,
        trend: [month('2026-01', 40, false), month('2026-02', 62.5, true), month('2026-03', 71.43, true)],
      },
      {
        indicator: 'figure:resolved_late',
        name: 'Số hồ sơ giải quyết quá hạn',
        unit: 'count',
        comparator: 'at_most',
        target: 1,
        actual: 2,
        met: false,
        gap: 1,
        trend: [month('2026-01', 0, true), month('2026-02', 1, true), month('2026-03', 1, true)],
      },
      {
        indicator: 'framework:PAR-SYT/6',
        name: 'PAR-SYT 6. Hiện đại hóa hành chính',
        unit: 'points',
        comparator: 'at_least',
        target: 8.5,
        actual: null,
        met: null,
        gap: null,
        trend: [],
      },
    ],
    frameworks: [
      {
        code: 'PAR-SYT',
        year: 2026,
        name: 'Chỉ số cải cách hành chính của Sở Y tế',
        version: 2,
        total: 13.75,
        max: 20,
        complete: false,
        frozen: false,
        publishedAt: null,
        rows: [
          {
            code: '1',
            name: 'Công tác chỉ đạo, điều hành',
            depth: 0,
            maxPoints: 8,
            points: 6.5,
            source: null,
            value: null,
            selfAssessment: null,
            appraisal: null,
          },
          {
            code: '1.1',
            name: 'Ban hành kế hoạch cải cách hành chính',
            depth: 1,
            maxPoints: 3,
            points: 2.5,
            source: 'appraisal',
            value: null,
            selfAssessment: {
              points: 3,
              comment: null,
              evidence: [{ documentNumber: '12/KH-SYT' }],
              assessor: 'canbo.syt',
              assessorName: 'Trần Thị Bình',
            },
            appraisal: {
              points: 2.5,
              comment: 'Ban hành chậm 5 ngày',
              evidence: [{ documentNumber: '12/KH-SYT', attachmentName: 'ke-hoach-cchc-2026.pdf' }],
              assessor: 'thamdinh.snv',
              assessorName: null,
            },
          },
          {
            code: '1.2',
            name: 'Kiểm tra cải cách hành chính',
            depth: 1,
            maxPoints: 5,
            points: 4,
            source: 'self',
            value: null,
            selfAssessment: {
              points: 4,
              comment: null,
              evidence: [{ documentNumber: '30/BC-SYT', link: 'https://syt.example.gov.vn/bc30' }],
              assessor: 'canbo.syt',
              assessorName: null,
            },
            appraisal: null,
          },
          {
            code: '6',
            name: 'Hiện đại hóa hành chính',
            depth: 0,
            maxPoints: 12,
            points: 7.25,
            source: null,
            value: null,
            selfAssessment: null,
            appraisal: null,
          },
          {
            code: '6.1',
            name: 'Tỷ lệ hồ sơ nộp trực tuyến',
            depth: 1,
            maxPoints: 12,
            points: 7.25,
            source: 'computed',
            value: 58.82,
            selfAssessment: null,
            appraisal: null,
          },
        ],
      },
    ],
  };
}

/**
 * What the owning services answer to the children of a 2026-Q1 report of the department, by the
 * kinds' keys: the table, each month's table (the reform report draws the months), the catalogue,
 * the indicator set and the plan.
 */
export const childAnswers = () => ({
  table: statisticsTable(),
  'month-2026-01': statisticsTable(),
  'month-2026-02': statisticsTable(),
  'month-2026-03': statisticsTable(),
  catalogue: catalogueStatistics(),
  indicators: indicatorSet(),
  plan: planCounts(),
});
