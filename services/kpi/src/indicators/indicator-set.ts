import type { WorkingCalendar } from '@tthc/calendar';
import type { Executor } from '@tthc/db';
import { feedbackTouching } from '../db/feedback.repository';
import { procedureHistory } from '../db/procedure.repository';
import { listRuleSets } from '../db/rule-set.repository';
import type { KpiDb } from '../db/schema';
import { endOfVnDay } from '../domain/as-of';
import { BadInput } from '../domain/bad-input';
import { sumBags, type Bag } from '../domain/measures';
import { previousPeriod, samePeriodLastYear, type Period } from '../domain/period';
import type { Scope } from '../domain/scope';
import { kpiCalendar } from '../domain/working-calendar';
import { drillDossiers } from '../figures/drill-down';
import { periodFigures, type FigureSource } from '../figures/period-figures';
import type { IndicatorContext } from './criterion';
import { ProcedureFacts } from './procedure-facts';
import { criterionMembers } from './drill';
import { CRITERIA } from './registry';
import { IndicatorRuleSet, ruleSetOn, score, shown } from './rule-set';

/** The rule sets held, validated (a stored set that no longer reads is a bug, not bad input). */
export async function ruleSets(db: Executor<KpiDb>): Promise<IndicatorRuleSet[]> {
  return (await listRuleSets(db)).map((r) => IndicatorRuleSet.parse(r.definition));
}

export async function ruleSetFor(db: Executor<KpiDb>, period: Period): Promise<IndicatorRuleSet> {
  const set = ruleSetOn(await ruleSets(db), period.to);
  if (!set)
    throw new BadInput('/period', `no indicator rule set is in force on ${period.to}`, 'no_rule_set', 422);
  return set;
}

/** Loads what every criterion reads, once. */
export async function indicatorContext(
  db: Executor<KpiDb>,
  period: Period,
  scope: Scope,
  set: IndicatorRuleSet,
  cal: WorkingCalendar = kpiCalendar(),
  figures: FigureSource = periodFigures,
): Promise<IndicatorContext> {
  const start = new Date(endOfVnDay(period.from).getTime() - 86_400_000 + 1);
  const [groups, history, feedback] = await Promise.all([
    figures(db, scope, period, cal),
    procedureHistory(db, scope.agencyCodes),
    feedbackTouching(db, scope.agencyCodes, start, endOfVnDay(period.to)),
  ]);
  const entries = groups.entries();
  const byProcedure = new Map<string, Bag>();
  for (const [k, bag] of entries)
    byProcedure.set(k.procedureCode, sumBags([byProcedure.get(k.procedureCode) ?? {}, bag]));
  return {
    period,
    scope,
    totals: sumBags(entries.map(([, b]) => b)),
    byProcedure,
    procedures: new ProcedureFacts(history.versions, history.statuses, scope),
    // Feedback is about an agency's handling, not a field or procedure, unless a procedure is named.
    feedback: feedback.filter(
      (f) => scope.procedureCode === null || f.procedure_code === scope.procedureCode,
    ),
    params: set.params,
    cal,
  };
}

export interface CriterionResult {
  id: string;
  group: string;
  name: string;
  source: string;
  numerator: number | null;
  denominator: number | null;
  /** Unrounded, as scored; ratePercent is the same rounded to two decimals for display. */
  rate: number | null;
  ratePercent: number | null;
  threshold: number | null;
  points: number | null;
  max: number;
  status: 'scored' | 'not_applicable' | 'full_marks_none';
  note: string | null;
}

function scoreCriterion(
  ctx: IndicatorContext,
  groupId: string,
  rule: IndicatorRuleSet['groups'][number]['criteria'][number],
): CriterionResult {
  const c = CRITERIA.get(rule.id);
  if (!c) throw new Error(`rule set names criterion ${rule.id}, which the service cannot count`);
  const base = {
    id: c.id,
    group: groupId,
    name: c.name,
    source: c.source,
    threshold: rule.threshold,
    max: rule.max,
  };
  const m = c.measure(ctx);
  if ('notApplicable' in m) {
    return {
      ...base,
      numerator: null,
      denominator: null,
      rate: null,
      ratePercent: null,
      points: null,
      status: 'not_applicable',
      note: m.notApplicable,
    };
  }
  const s = score(rule, m.numerator, m.denominator);
  const note =
    s.status === 'not_applicable'
      ? 'nothing to count in the period'
      : s.status === 'full_marks_none'
        ? 'nothing to count: full marks by rule'
        : null;
  return {
    ...base,
    numerator: m.numerator,
    denominator: m.denominator,
    rate: s.rate,
    ratePercent: s.rate === null ? null : shown(s.rate * 100),
    points: s.points,
    status: s.status,
    note: [note, m.note].filter(Boolean).join('; ') || null,
  };
}

/** Points rounded for display, once every sum is made from the unrounded ones. */
export const displayed = (r: CriterionResult): CriterionResult => ({ ...r, points: shown(r.points) });

/**
 * Sums points over the criteria that apply. A criterion not applicable counts neither in the
 * points nor in the maximum they are out of; `scaled` restates the points out of 100.
 */
function tally(results: CriterionResult[]) {
  const applicable = results.filter((r) => r.status !== 'not_applicable');
  const points = applicable.reduce((s, r) => s + (r.points ?? 0), 0);
  const applicableMax = applicable.reduce((s, r) => s + r.max, 0);
  return {
    points: shown(points) as number,
    max: results.reduce((s, r) => s + r.max, 0),
    applicableMax,
    scaled: applicableMax === 0 ? null : shown((points / applicableMax) * 100),
  };
}

/** Every criterion of the rule set in force, scored, with group and total scores (figures: as statisticsTable). */
export async function indicatorSet(
  db: Executor<KpiDb>,
  period: Period,
  scope: Scope,
  figures: FigureSource = periodFigures,
) {
  const set = await ruleSetFor(db, period);
  const ctx = await indicatorContext(db, period, scope, set, kpiCalendar(), figures);
  const raw = set.groups.map((g) => ({
    g,
    criteria: g.criteria.map((rule) => scoreCriterion(ctx, g.id, rule)),
  }));
  return {
    ruleSet: {
      id: set.id,
      name: set.name,
      legalBasis: set.legalBasis,
      effectiveFrom: set.effectiveFrom,
      params: set.params,
    },
    period: { kind: period.kind, basis: period.basis, label: period.label, from: period.from, to: period.to },
    total: tally(raw.flatMap((r) => r.criteria)),
    groups: raw.map(({ g, criteria }) => ({
      id: g.id,
      name: g.name,
      ...tally(criteria),
      criteria: criteria.map(displayed),
    })),
  };
}

export type IndicatorSetAnswer = Awaited<ReturnType<typeof indicatorSet>>;

/** The set with the previous period's and last year's totals and rates beside it. */
export async function indicatorSetCompared(
  db: Executor<KpiDb>,
  period: Period,
  scope: Scope,
  compare: boolean,
) {
  const current = await indicatorSet(db, period, scope);
  if (!compare) return { ...current, comparison: null };
  const brief = (a: IndicatorSetAnswer) => ({
    period: a.period,
    total: a.total,
    criteria: a.groups.flatMap((g) =>
      g.criteria.map((c) => ({ id: c.id, ratePercent: c.ratePercent, points: c.points, status: c.status })),
    ),
  });
  const [previous, lastYear] = await Promise.all([
    indicatorSet(db, previousPeriod(period), scope),
    indicatorSet(db, samePeriodLastYear(period), scope),
  ]);
  return { ...current, comparison: { previous: brief(previous), lastYear: brief(lastYear) } };
}

/** One criterion of the set, for its page and drill-down. */
export async function oneCriterion(
  db: Executor<KpiDb>,
  period: Period,
  scope: Scope,
  id: string,
  drill?: { part: 'numerator' | 'denominator'; cursor?: string | undefined; limit: number },
) {
  const set = await ruleSetFor(db, period);
  const group = set.groups.find((g) => g.criteria.some((c) => c.id === id));
  const rule = group?.criteria.find((c) => c.id === id);
  if (!group || !rule)
    throw new BadInput('/criterion', `no criterion ${id} in rule set ${set.id}`, 'unknown_criterion', 404);
  const criterion = CRITERIA.get(id);
  const cal = kpiCalendar();
  const members = drill && criterion ? criterion[drill.part] : undefined;
  // A page of dossiers needs only the rule set's parameters: read beside the criterion's figures.
  const [ctx, dossierPage] = await Promise.all([
    indicatorContext(db, period, scope, set, cal),
    drill && members?.kind === 'dossiers'
      ? drillDossiers(
          db,
          {
            scope,
            span: period,
            measures: members.measures({ params: set.params }),
            cursor: drill.cursor,
            limit: drill.limit,
          },
          cal,
        )
      : Promise.resolve(undefined),
  ]);
  const drillDown =
    drill && criterion
      ? (dossierPage ??
        (await criterionMembers(db, ctx, criterion, drill.part, {
          cursor: drill.cursor,
          limit: drill.limit,
        })))
      : undefined;
  return {
    ctx,
    criterion,
    result: displayed(scoreCriterion(ctx, group.id, rule)),
    ruleSet: set,
    drillDown,
  };
}
