import { z } from 'zod';
import { engineIndicator } from '../targets/indicator-catalogue';
import { fromCents, ratioCents, sumCents, toCents, type Cents, type Ratio } from './points';
import { applyRule, Decimal2, ruleProblems, ScoringRule } from './scoring-rule';

const Text = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(1).max(max));

export const Scoring = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('manual') }),
  z.object({
    kind: z.literal('computed'),
    indicator: z.string().min(1).max(120).meta({ example: 'criterion:online.dossiers_online' }),
    rule: ScoringRule,
  }),
]);
export type Scoring = z.infer<typeof Scoring>;

export interface FrameworkNode {
  code: string;
  name: string;
  maxPoints: number;
  scoring?: Scoring | undefined;
  children?: FrameworkNode[] | undefined;
}

export const NodeCode = z
  .string()
  .regex(/^\d{1,3}(?:\.\d{1,3}){0,4}$/, 'a dotted number: 6, 6.1, 6.1.2')
  .meta({ example: '6.1' });

export const FrameworkNodeSchema: z.ZodType<FrameworkNode, FrameworkNode> = z
  .object({
    code: NodeCode,
    name: Text(500),
    maxPoints: Decimal2.refine((v) => v > 0, 'must be above 0'),
    scoring: Scoring.optional().meta({ description: 'a criterion without children: computed or manual' }),
    get children() {
      return z.array(FrameworkNodeSchema).optional();
    },
  })
  .meta({ id: 'FrameworkNodeIn' }) as unknown as z.ZodType<FrameworkNode, FrameworkNode>;

/** The same tree as answered (no input transforms). */
export const FrameworkNodeOut: z.ZodType<FrameworkNode, FrameworkNode> = z
  .object({
    code: z.string(),
    name: z.string(),
    maxPoints: z.number().meta({ description: 'two decimals at most' }),
    scoring: Scoring.optional(),
    get children() {
      return z.array(FrameworkNodeOut).optional();
    },
  })
  .meta({ id: 'FrameworkNode' }) as unknown as z.ZodType<FrameworkNode, FrameworkNode>;

export const FrameworkCode = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9_-]{0,39}$/, 'capital letters, digits, - and _')
  .meta({ example: 'PAR-SYT' });

export const FrameworkBody = z.object({
  code: FrameworkCode,
  year: z.number().int().min(2000).max(2100),
  name: Text(300),
  areas: z.array(FrameworkNodeSchema).min(1),
});
export type FrameworkBody = z.infer<typeof FrameworkBody>;

export interface Problem {
  pointer: string;
  detail: string;
}

/**
 * The rules a framework must keep beyond its shape: codes unique and nested under their parent's,
 * a node with children has no scoring of its own and a leaf has one, the children's maxima do not
 * exceed the parent's, a computed criterion names an indicator the engine counts and its rule
 * gives no more than the criterion's maximum. Every breach is listed with its JSON pointer.
 */
export function frameworkProblems(f: Pick<FrameworkBody, 'areas'>, base = ''): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  const walk = (nodes: FrameworkNode[], at: string, parent: FrameworkNode | null) => {
    nodes.forEach((n, i) => {
      const p = `${at}/${i}`;
      if (seen.has(n.code)) out.push({ pointer: `${p}/code`, detail: `code ${n.code} appears twice` });
      seen.add(n.code);
      if (parent && !n.code.startsWith(`${parent.code}.`))
        out.push({ pointer: `${p}/code`, detail: `${n.code} is not under its parent ${parent.code}` });
      if (!parent && n.code.includes('.'))
        out.push({ pointer: `${p}/code`, detail: `an area's code has no dot (${n.code})` });
      const kids = n.children ?? [];
      if (kids.length > 0) {
        if (n.scoring)
          out.push({ pointer: `${p}/scoring`, detail: 'a node with children is scored by its children' });
        const sum = sumCents(kids.map((k) => toCents(k.maxPoints)));
        if (sum > toCents(n.maxPoints))
          out.push({
            pointer: `${p}/maxPoints`,
            detail: `the children's maxima add up to ${fromCents(sum)}, more than ${n.code}'s maximum ${n.maxPoints}`,
          });
        walk(kids, `${p}/children`, n);
      } else if (!n.scoring) {
        out.push({
          pointer: `${p}/scoring`,
          detail: `criterion ${n.code} has no children: say how it is scored`,
        });
      } else if (n.scoring.kind === 'computed') {
        if (!engineIndicator(n.scoring.indicator))
          out.push({
            pointer: `${p}/scoring/indicator`,
            detail: `unknown indicator ${n.scoring.indicator} (see GET /v1/kpi/target-indicators)`,
          });
        for (const [suffix, detail] of ruleProblems(n.scoring.rule, n.maxPoints))
          out.push({ pointer: `${p}/scoring/rule${suffix}`, detail });
      }
    });
  };
  walk(f.areas, `${base}/areas`, null);
  return out;
}

/** Every node of the tree, depth first. */
export function nodesOf(areas: readonly FrameworkNode[]): FrameworkNode[] {
  return areas.flatMap((n) => [n, ...nodesOf(n.children ?? [])]);
}

export const findNode = (areas: readonly FrameworkNode[], code: string) =>
  nodesOf(areas).find((n) => n.code === code);

export interface ManualScore {
  points: Cents;
  comment: string | null;
  evidence: unknown;
  assessor: string;
  assessorName: string | null;
  enteredAt: string;
}

export interface LeafInputs {
  /** The indicator's value of each computed criterion (by indicator id); null: nothing to count. */
  indicators: ReadonlyMap<string, Ratio | null>;
  /** Manual scores by criterion code. */
  manual: ReadonlyMap<string, { self?: ManualScore | undefined; appraisal?: ManualScore | undefined }>;
}

export interface NodeResult {
  code: string;
  name: string;
  maxPoints: number;
  /** Null for a criterion with no score yet (counted as zero in its parents). */
  points: number | null;
  scored: boolean;
  scoring: Scoring | null;
  /** A computed criterion: the indicator's rate, rounded to two decimals. */
  value: number | null;
  selfAssessment: ManualOut | null;
  appraisal: ManualOut | null;
  /** Where the points came from: the appraisal wins over the self-assessment. */
  source: 'computed' | 'appraisal' | 'self' | null;
  children: NodeResult[];
}

interface ManualOut extends Omit<ManualScore, 'points'> {
  points: number;
}
const manualOut = (m: ManualScore | undefined): ManualOut | null =>
  m ? { ...m, points: fromCents(m.points) } : null;

/**
 * Scores the tree: a computed criterion by its rule from its indicator, a manual one by its
 * appraised score where there is one, else its self-assessment; every parent is the exact sum of
 * its children (hundredths), a criterion not scored counting zero.
 */
export function evaluate(
  areas: readonly FrameworkNode[],
  inputs: LeafInputs,
): { total: number; max: number; complete: boolean; areas: NodeResult[] } {
  let complete = true;
  const walk = (n: FrameworkNode): { cents: Cents; out: NodeResult } => {
    const kids = n.children ?? [];
    const base = { code: n.code, name: n.name, maxPoints: n.maxPoints };
    if (kids.length > 0) {
      const rs = kids.map(walk);
      const cents = sumCents(rs.map((r) => r.cents));
      return {
        cents,
        out: {
          ...base,
          points: fromCents(cents),
          scored: rs.every((r) => r.out.scored),
          scoring: null,
          value: null,
          selfAssessment: null,
          appraisal: null,
          source: null,
          children: rs.map((r) => r.out),
        },
      };
    }
    const scoring = n.scoring ?? null;
    const maxC = toCents(n.maxPoints);
    if (scoring?.kind === 'computed') {
      const rate = inputs.indicators.get(scoring.indicator) ?? null;
      const cents = rate === null ? null : applyRule(scoring.rule, maxC, rate);
      if (cents === null) complete = false;
      return {
        cents: cents ?? 0,
        out: {
          ...base,
          points: cents === null ? null : fromCents(cents),
          scored: cents !== null,
          scoring,
          value: rate === null ? null : fromCents(ratioCents(rate)),
          selfAssessment: null,
          appraisal: null,
          source: cents === null ? null : 'computed',
          children: [],
        },
      };
    }
    const m = inputs.manual.get(n.code) ?? {};
    const chosen = m.appraisal ?? m.self;
    if (!chosen) complete = false;
    return {
      cents: chosen?.points ?? 0,
      out: {
        ...base,
        points: chosen ? fromCents(chosen.points) : null,
        scored: chosen !== undefined,
        scoring,
        value: null,
        selfAssessment: manualOut(m.self),
        appraisal: manualOut(m.appraisal),
        source: m.appraisal ? 'appraisal' : m.self ? 'self' : null,
        children: [],
      },
    };
  };
  const rs = areas.map(walk);
  return {
    total: fromCents(sumCents(rs.map((r) => r.cents))),
    max: fromCents(sumCents(areas.map((a) => toCents(a.maxPoints)))),
    complete,
    areas: rs.map((r) => r.out),
  };
}

/** The computed criteria's indicators, once each. */
export const indicatorsOf = (areas: readonly FrameworkNode[]): string[] => [
  ...new Set(nodesOf(areas).flatMap((n) => (n.scoring?.kind === 'computed' ? [n.scoring.indicator] : []))),
];
