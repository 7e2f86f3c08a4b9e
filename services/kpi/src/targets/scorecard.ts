import type { Identity } from '@tthc/contracts';
import type { Executor } from '@tthc/db';
import { scopeOf } from '@tthc/service-kit';
import { requireAgency } from '../access/reform-access';
import { agenciesSeen } from '../db/dossier.repository';
import type { KpiDb } from '../db/schema';
import { subtreeByCode } from '../domain/agency-tree';
import { BadInput } from '../domain/bad-input';
import { resolvePeriod, type Period, type PeriodSpec } from '../domain/period';
import { findNode } from '../frameworks/framework';
import { frameworkResult } from '../frameworks/framework.commands';
import { getFramework } from '../db/framework.repository';
import type { NodeResult } from '../frameworks/framework';
import { centsRatio, shown2, toCents, type Ratio } from '../frameworks/points';
import { engineIndicator, FRAMEWORK_REF, type IndicatorUnit } from './indicator-catalogue';
import { agencyScope, engineValues } from './indicator-values';
import { judge, type Comparator } from './target';
import { agenciesWithTargets, listTargets, type Target } from '../db/target.repository';

export interface ScorecardLine {
  targetId: string;
  indicator: string;
  name: string;
  unit: IndicatorUnit;
  comparator: Comparator;
  target: number;
  actual: number | null;
  met: boolean | null;
  gap: number | null;
  trend: { month: string; actual: number | null; met: boolean | null }[];
}

export interface AgencyScorecard {
  agencyCode: string;
  agencies: string[];
  summary: { targets: number; met: number; notMet: number; noData: number };
  lines: ScorecardLine[];
}

/** The months of the year up to the last day's (none for a year not begun, all twelve for one over). */
const months = (year: number, lastDay: string): string[] => {
  const y = Number(lastDay.slice(0, 4));
  const last = y < year ? 0 : y > year ? 12 : Number(lastDay.slice(5, 7));
  return Array.from({ length: last }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
};

/** Finds a node's result in a tree. */
function nodeIn(areas: readonly NodeResult[], code: string): NodeResult | undefined {
  for (const a of areas) {
    if (a.code === code) return a;
    const hit = nodeIn(a.children, code);
    if (hit) return hit;
  }
  return undefined;
}

/** The values of the targets' indicators for an agency over a period (framework nodes: the year's result). */
async function valuesFor(
  db: Executor<KpiDb>,
  targets: readonly Target[],
  agencyCode: string,
  agencies: readonly string[],
  period: Period,
  today: string,
  withFrameworks: boolean,
): Promise<Map<string, Ratio | null>> {
  const engine = targets.map((t) => t.indicator).filter((i) => engineIndicator(i));
  const out = await engineValues(db, agencyScope(agencies), period, [...new Set(engine)]);
  if (!withFrameworks) return out;
  for (const t of targets) {
    const m = FRAMEWORK_REF.exec(t.indicator);
    if (!m) continue;
    const f = await getFramework(db, m[1] ?? '', t.year);
    const node = f && findNode(f.areas, m[2] ?? '') ? m[2] : undefined;
    if (!f || !node) {
      out.set(t.indicator, null);
      continue;
    }
    const r = await frameworkResult(db, f, agencyCode, today);
    const points = nodeIn(r.areas, node)?.points ?? null;
    out.set(t.indicator, points === null ? null : centsRatio(toCents(points)));
  }
  return out;
}

async function agencyCard(
  db: Executor<KpiDb>,
  agencyCode: string,
  known: readonly string[],
  visible: (code: string) => boolean,
  period: Period,
  year: number,
  today: string,
): Promise<AgencyScorecard> {
  const agencies = subtreeByCode(agencyCode, known).filter(visible);
  const targets = await listTargets(db, year, [agencyCode]);
  const actual = await valuesFor(db, targets, agencyCode, agencies, period, today, true);
  const trendMonths = months(year, period.to < today ? period.to : today);
  const monthly = await Promise.all(
    trendMonths.map((m) =>
      valuesFor(db, targets, agencyCode, agencies, resolvePeriod({ period: m }), today, false),
    ),
  );
  const nodeNames = new Map<string, string>();
  for (const t of targets) {
    const m = FRAMEWORK_REF.exec(t.indicator);
    const f = m ? await getFramework(db, m[1] ?? '', t.year) : undefined;
    const node = f && m ? findNode(f.areas, m[2] ?? '') : undefined;
    if (node) nodeNames.set(t.indicator, `${f?.code} ${node.code}. ${node.name}`);
  }
  const lines = targets.map((t): ScorecardLine => {
    const a = actual.get(t.indicator) ?? null;
    const info = engineIndicator(t.indicator);
    const framework = FRAMEWORK_REF.test(t.indicator);
    return {
      targetId: t.id,
      indicator: t.indicator,
      name: info?.name ?? nodeNames.get(t.indicator) ?? t.indicator,
      unit: info?.unit ?? 'points',
      comparator: t.comparator,
      target: t.value,
      actual: shown2(a),
      ...judge(t.comparator, a, t.value),
      trend: framework
        ? []
        : trendMonths.map((month, i) => {
            const v = monthly[i]?.get(t.indicator) ?? null;
            return { month, actual: shown2(v), met: judge(t.comparator, v, t.value).met };
          }),
    };
  });
  return {
    agencyCode,
    agencies,
    summary: {
      targets: lines.length,
      met: lines.filter((l) => l.met === true).length,
      notMet: lines.filter((l) => l.met === false).length,
      noData: lines.filter((l) => l.met === null).length,
    },
    lines,
  };
}

/**
 * An agency's scorecard for a period within one year: each of its targets of that year with the
 * actual value over the period (the agency and the agencies below it), met or not, the gap and the
 * month-by-month trend from January; with `subAgencies`, the scorecards of the agencies below it
 * that have targets, side by side. A scoped caller sees its own agencies only.
 */
export async function scorecard(
  db: Executor<KpiDb>,
  identity: Identity | null,
  q: PeriodSpec & { agencyCode?: string | undefined; subAgencies: boolean },
  today: string,
) {
  const agencyCode = q.agencyCode ?? identity?.agencyCode ?? undefined;
  if (agencyCode) requireAgency(identity, agencyCode, '/agencyCode', 'query');
  // No period asked for: the year so far, as a dashboard shows it.
  const period = resolvePeriod(
    q.period === undefined && q.from === undefined && q.to === undefined
      ? { ...q, period: today.slice(0, 4) }
      : q,
  );
  const year = Number(period.from.slice(0, 4));
  if (period.to.slice(0, 4) !== String(year))
    throw new BadInput('/period', 'a scorecard covers a period within one year (targets are yearly)');
  const withTargets = new Set(await agenciesWithTargets(db));
  const known = [...new Set([...(await agenciesSeen(db)), ...withTargets])];
  const scope = scopeOf(identity);
  const visible = (c: string) => scope === null || scope.includes(c);
  // A province-wide reader naming no agency: every agency with targets, side by side.
  const main = agencyCode
    ? await agencyCard(db, agencyCode, known, visible, period, year, today)
    : { agencyCode: null, agencies: [], summary: { targets: 0, met: 0, notMet: 0, noData: 0 }, lines: [] };
  const below = agencyCode ? subtreeByCode(agencyCode, known).filter((c) => c !== agencyCode) : known;
  const subs =
    q.subAgencies || !agencyCode
      ? await Promise.all(
          below
            .filter((c) => visible(c) && withTargets.has(c))
            .map((c) => agencyCard(db, c, known, visible, period, year, today)),
        )
      : [];
  return {
    period: { kind: period.kind, basis: period.basis, label: period.label, from: period.from, to: period.to },
    year,
    ...main,
    subAgencies: subs,
  };
}
