import { kpiCalendar } from '../../src/domain/working-calendar';
import {
  evaluate,
  frameworkProblems,
  FrameworkBody,
  type FrameworkNode,
  type ManualScore,
} from '../../src/frameworks/framework';
import { percentOf, ratio, toCents } from '../../src/frameworks/points';
import { applyRule } from '../../src/frameworks/scoring-rule';
import { frameworkFromRows, parseRule } from '../../src/frameworks/framework-sheet';
import { planCounts } from '../../src/plan/plan-counts';
import { competitionRanks } from '../../src/ranking/rank';
import { judge } from '../../src/targets/target';

const max = (x: number) => toCents(x);

describe('scoring rules on edge values', () => {
  const linear = { kind: 'linear' as const, upTo: 80 };
  it('gives linear points in proportion up to the threshold and the maximum from it on', () => {
    expect(applyRule(linear, max(2), percentOf(0, 10))).toBe(0);
    expect(applyRule(linear, max(2), percentOf(2, 5))).toBe(100); // 40% of 80%: half of 2
    expect(applyRule(linear, max(2), percentOf(4, 5))).toBe(200); // exactly 80%
    expect(applyRule(linear, max(2), percentOf(79, 100))).toBe(198); // 2 × 79/80 = 1.975, rounded half up
    expect(applyRule(linear, max(2), percentOf(5, 5))).toBe(200); // above the threshold: capped
  });

  it('proportional with upTo 100 is max × rate, exact at a third', () => {
    expect(applyRule({ kind: 'linear', upTo: 100 }, max(6), percentOf(1, 3))).toBe(200);
    expect(applyRule({ kind: 'linear', upTo: 100 }, max(5.5), percentOf(1, 2))).toBe(275);
  });

  const steps = {
    kind: 'thresholds' as const,
    steps: [
      { atLeast: 57, points: 1 },
      { atLeast: 90, points: 1.5 },
    ],
  };
  it('gives the highest step reached, compared exactly (57 of 100 reaches 57%)', () => {
    expect(applyRule(steps, max(1.5), percentOf(56, 100))).toBe(0);
    expect(applyRule(steps, max(1.5), percentOf(57, 100))).toBe(100);
    expect(applyRule(steps, max(1.5), percentOf(899, 1000))).toBe(100);
    expect(applyRule(steps, max(1.5), percentOf(9, 10))).toBe(150);
    expect(applyRule(steps, max(1.5), percentOf(1, 1))).toBe(150);
  });

  const bands = {
    kind: 'bands' as const,
    bands: [
      { from: 0, to: 50, points: 0.25 },
      { from: 50, to: 80, points: 0.5 },
      { from: 80, to: null, points: 1 },
    ],
  };
  it('gives the band the rate falls in, from inclusive and to exclusive', () => {
    expect(applyRule(bands, max(1), percentOf(0, 4))).toBe(25);
    expect(applyRule(bands, max(1), percentOf(49, 100))).toBe(25);
    expect(applyRule(bands, max(1), percentOf(1, 2))).toBe(50);
    expect(applyRule(bands, max(1), percentOf(4, 5))).toBe(100);
    expect(applyRule(bands, max(1), percentOf(1, 1))).toBe(100);
    expect(
      applyRule({ kind: 'bands', bands: [{ from: 10, to: 20, points: 1 }] }, max(1), percentOf(5, 100)),
    ).toBe(0);
  });
});

/** "Hiện đại hóa hành chính" 16 points: IT use 5.5 (manual), postal 1.5 (computed), online 9 (two parts). */
const MODERNISATION: FrameworkNode = {
  code: '6',
  name: 'Hiện đại hóa hành chính',
  maxPoints: 16,
  children: [
    { code: '6.1', name: 'Ứng dụng công nghệ thông tin', maxPoints: 5.5, scoring: { kind: 'manual' } },
    {
      code: '6.2',
      name: 'Dịch vụ bưu chính công ích',
      maxPoints: 1.5,
      scoring: {
        kind: 'computed',
        indicator: 'criterion:online.dossiers_online',
        rule: {
          kind: 'thresholds',
          steps: [
            { atLeast: 30, points: 1.2 },
            { atLeast: 60, points: 1.5 },
          ],
        },
      },
    },
    {
      code: '6.3',
      name: 'Dịch vụ công trực tuyến',
      maxPoints: 9,
      children: [
        {
          code: '6.3.1',
          name: 'Hồ sơ thanh toán trực tuyến',
          maxPoints: 4.3,
          scoring: {
            kind: 'computed',
            indicator: 'criterion:payment.dossiers_paid_online',
            rule: { kind: 'linear', upTo: 100 },
          },
        },
        { code: '6.3.2', name: 'Cải cách tổ chức bộ máy', maxPoints: 4.7, scoring: { kind: 'manual' } },
      ],
    },
  ],
};

const manual = (points: number, assessor = 'assessor.syt'): ManualScore => ({
  points: toCents(points),
  comment: null,
  evidence: [{ documentNumber: '12/BC-SYT' }],
  assessor,
  assessorName: null,
  enteredAt: '2026-12-01T02:00:00.000Z',
});

describe('a framework with decimal maxima', () => {
  it('rolls computed and manual criteria up to the exact total', () => {
    const result = evaluate([MODERNISATION], {
      indicators: new Map([
        ['criterion:online.dossiers_online', percentOf(35, 100)], // 35%: the 1.2 step
        ['criterion:payment.dossiers_paid_online', percentOf(7, 10)], // 4.3 × 0.7 = 3.01
      ]),
      manual: new Map([
        ['6.1', { self: manual(4) }],
        ['6.3.2', { self: manual(4.69) }],
      ]),
    });
    expect(result.max).toBe(16);
    expect(result.total).toBe(12.9); // 4 + 1.2 + 3.01 + 4.69, with no float drift
    const [area] = result.areas;
    expect(area?.children.map((c) => [c.code, c.points, c.source])).toEqual([
      ['6.1', 4, 'self'],
      ['6.2', 1.2, 'computed'],
      ['6.3', 7.7, null],
    ]);
    expect(area?.children[1]?.value).toBe(35);
    expect(result.complete).toBe(true);
  });

  it('adds 16 + 5.5 + 1.5 to 23 exactly, and counts an unscored criterion as zero, incomplete', () => {
    const leaves: FrameworkNode[] = [16, 5.5, 1.5].map((m, i) => ({
      code: String(i + 1),
      name: `Lĩnh vực ${i + 1}`,
      maxPoints: m,
      scoring: { kind: 'manual' },
    }));
    const full = evaluate(leaves, {
      indicators: new Map(),
      manual: new Map(leaves.map((l) => [l.code, { self: manual(l.maxPoints) }])),
    });
    expect(full.total).toBe(23);
    const partial = evaluate(leaves, {
      indicators: new Map(),
      manual: new Map([['2', { self: manual(5.5) }]]),
    });
    expect(partial.total).toBe(5.5);
    expect(partial.complete).toBe(false);
    expect(partial.areas[0]?.points).toBeNull();
  });

  it('takes the appraised score over the self-assessment, keeping both', () => {
    const r = evaluate([MODERNISATION], {
      indicators: new Map([
        ['criterion:online.dossiers_online', percentOf(3, 5)],
        ['criterion:payment.dossiers_paid_online', null],
      ]),
      manual: new Map([
        ['6.1', { self: manual(5.5), appraisal: manual(4.1, 'appraiser.snv') }],
        ['6.3.2', { self: manual(3) }],
      ]),
    });
    const it61 = r.areas[0]?.children[0];
    expect(it61).toMatchObject({ points: 4.1, source: 'appraisal' });
    expect(it61?.selfAssessment?.points).toBe(5.5);
    expect(it61?.appraisal?.assessor).toBe('appraiser.snv');
    // 4.1 + 1.5 (60% reaches the top step) + nothing to count for payments + 3
    expect(r.total).toBe(8.6);
    expect(r.complete).toBe(false);
  });

  it('refuses children whose maxima exceed the parent, naming the parent', () => {
    const broken = {
      ...MODERNISATION,
      children: [
        ...(MODERNISATION.children ?? []),
        { code: '6.4', name: 'Thêm', maxPoints: 0.5, scoring: { kind: 'manual' as const } },
      ],
    };
    const body = FrameworkBody.parse({ code: 'PAR-SYT', year: 2026, name: 'Chỉ số CCHC', areas: [broken] });
    expect(frameworkProblems(body)).toEqual([
      { pointer: '/areas/0/maxPoints', detail: expect.stringContaining('16.5') },
    ]);
  });

  it('names an unknown indicator and rule points above the maximum', () => {
    const leaf: FrameworkNode = {
      code: '1',
      name: 'Một',
      maxPoints: 1,
      scoring: {
        kind: 'computed',
        indicator: 'criterion:nope',
        rule: { kind: 'thresholds', steps: [{ atLeast: 50, points: 2 }] },
      },
    };
    expect(frameworkProblems({ areas: [leaf] }).map((p) => p.pointer)).toEqual([
      '/areas/0/scoring/indicator',
      '/areas/0/scoring/rule/steps/0/points',
    ]);
  });
});

describe('targets with each comparator', () => {
  it('at least: met at and above the value, missed below, exactly', () => {
    expect(judge('at_least', percentOf(55, 100), 55)).toEqual({ met: true, gap: 0 });
    expect(judge('at_least', percentOf(54, 100), 55)).toEqual({ met: false, gap: -1 });
    expect(judge('at_least', percentOf(57, 100), 57).met).toBe(true);
  });
  it('at most: met at and below the value', () => {
    expect(judge('at_most', ratio(3, 1), 3)).toEqual({ met: true, gap: 0 });
    expect(judge('at_most', ratio(4, 1), 3)).toEqual({ met: false, gap: 1 });
  });
  it('equal: met only at the value (every result digitized is 100%)', () => {
    expect(judge('equal', percentOf(8, 8), 100)).toEqual({ met: true, gap: 0 });
    expect(judge('equal', percentOf(7, 8), 100)).toEqual({ met: false, gap: -12.5 });
  });
  it('nothing to count is neither met nor missed', () => {
    expect(judge('at_least', null, 60)).toEqual({ met: null, gap: null });
  });
});

describe('plan counts with the working-day calendar', () => {
  const cal = kpiCalendar();
  // Thursday 30/4/2026 and Friday 1/5 are holidays: a task due on 30/4 is due on Monday 4/5.
  const tasks = [
    { dueOn: '2026-04-30', completedOn: null },
    { dueOn: '2026-04-30', completedOn: '2026-05-04' },
    { dueOn: '2026-04-29', completedOn: '2026-05-04' },
    { dueOn: '2026-06-30', completedOn: null },
  ];

  it('does not count a task due on a holiday overdue before the next working day', () => {
    expect(planCounts(tasks, '2026-05-03', cal)).toEqual({
      total: 4,
      done: 0,
      doneLate: 0,
      inProgress: 3,
      overdue: 1, // due Wednesday 29/4, a working day
    });
  });

  it('counts it overdue at the end of that working day, and one completed then on time', () => {
    expect(planCounts(tasks, '2026-05-04', cal)).toEqual({
      total: 4,
      done: 2,
      doneLate: 1,
      inProgress: 1,
      overdue: 1,
    });
  });

  it('judged now, a task due today is not yet overdue', () => {
    expect(planCounts([{ dueOn: '2026-04-30', completedOn: null }], '2026-05-04', cal, 'now').overdue).toBe(
      0,
    );
    expect(planCounts([{ dueOn: '2026-04-30', completedOn: null }], '2026-05-05', cal, 'now').overdue).toBe(
      1,
    );
  });
});

describe('competition ranking', () => {
  it('gives tied agencies one rank and skips the places they share (1, 1, 3), leaving the unscored unranked', () => {
    const ranks = competitionRanks(
      new Map([
        ['A', 80.5],
        ['B', 92],
        ['C', 80.5],
        ['D', 70],
        ['E', null],
      ]),
    );
    expect(Object.fromEntries(ranks)).toEqual({ B: 1, A: 2, C: 2, D: 4, E: null });
  });

  it('compares as shown, in hundredths (0.1 + 0.2 ties 0.3)', () => {
    expect(
      Object.fromEntries(
        competitionRanks(
          new Map([
            ['A', 0.1 + 0.2],
            ['B', 0.3],
          ]),
        ),
      ),
    ).toEqual({ A: 1, B: 1 });
  });
});

describe('reading a framework sheet', () => {
  const row = (n: number, cells: Record<string, string>) => ({ row: n, cells });
  it('reads rule parameters of each kind', () => {
    expect(parseRule('linear', '80')).toEqual({ kind: 'linear', upTo: 80 });
    expect(parseRule('thresholds', '57:1; 90:1,5')).toEqual({
      kind: 'thresholds',
      steps: [
        { atLeast: 57, points: 1 },
        { atLeast: 90, points: 1.5 },
      ],
    });
    expect(parseRule('bands', '0-50:0.25; 50-:1')).toEqual({
      kind: 'bands',
      bands: [
        { from: 0, to: 50, points: 0.25 },
        { from: 50, to: null, points: 1 },
      ],
    });
    expect(parseRule('bands', '0-50')).toEqual(expect.stringContaining('bands are'));
  });

  it('builds the tree from dotted codes and names the row of each problem', () => {
    const { areas, problems } = frameworkFromRows([
      row(2, { code: '1', name: 'Chỉ đạo', maxPoints: '2' }),
      row(3, { code: '1.1', name: 'Kế hoạch', maxPoints: '1,5', scoring: 'manual' }),
      row(4, { code: '1.2', name: 'Báo cáo', maxPoints: '1', scoring: 'manual' }),
      row(5, { code: '3.1', name: 'Mồ côi', maxPoints: '1', scoring: 'manual' }),
    ]);
    expect(problems).toEqual([{ pointer: '/rows/5/code', detail: expect.stringContaining('parent 3') }]);
    expect(areas[0]?.children?.map((c) => c.maxPoints)).toEqual([1.5, 1]);
    const over = frameworkFromRows([
      row(2, { code: '1', name: 'Chỉ đạo', maxPoints: '2' }),
      row(3, { code: '1.1', name: 'Kế hoạch', maxPoints: '1.5', scoring: 'manual' }),
      row(4, {
        code: '1.2',
        name: 'Báo cáo',
        maxPoints: '1',
        scoring: 'computed',
        indicator: 'figure:x',
        rule: 'linear',
      }),
    ]);
    expect(over.problems.map((p) => p.pointer)).toEqual(['/rows/2/maxPoints', '/rows/4/indicator']);
  });
});
