import type { Identity } from '@tthc/contracts';
import type { Executor } from '@tthc/db';
import { scopeOf } from '@tthc/service-kit';
import { requireAgency } from '../access/reform-access';
import { agenciesSeen } from '../db/dossier.repository';
import { getFramework } from '../db/framework.repository';
import type { KpiDb } from '../db/schema';
import { subtreeByCode } from '../domain/agency-tree';
import { BadInput } from '../domain/bad-input';
import { previousPeriod, resolvePeriod, type Period, type PeriodSpec } from '../domain/period';
import { frameworkResult } from '../frameworks/framework.commands';
import { indicatorSet } from '../indicators/indicator-set';
import { agencyScope } from '../targets/indicator-values';
import { competitionRanks } from './rank';

/** One agency's scores in a period: the total and each group's. */
interface Scored {
  total: number | null;
  groups: Map<string, number | null>;
}

type Source = { kind: 'indicators' } | { kind: 'framework'; code: string };

async function scoresOf(
  db: Executor<KpiDb>,
  source: Source,
  agencies: readonly string[],
  known: readonly string[],
  withSubAgencies: boolean,
  period: Period,
  today: string,
): Promise<{ groups: { id: string; name: string }[]; scores: Map<string, Scored> } | null> {
  const scores = new Map<string, Scored>();
  let groups: { id: string; name: string }[] = [];
  if (source.kind === 'framework') {
    const year = Number(period.from.slice(0, 4));
    const f = await getFramework(db, source.code, year);
    if (!f) return null;
    groups = f.areas.map((a) => ({ id: a.code, name: a.name }));
    for (const agency of agencies) {
      const r = await frameworkResult(db, f, agency, today);
      scores.set(agency, { total: r.total, groups: new Map(r.areas.map((a) => [a.code, a.points ?? 0])) });
    }
    return { groups, scores };
  }
  for (const agency of agencies) {
    const codes = withSubAgencies ? subtreeByCode(agency, known) : [agency];
    const set = await indicatorSet(db, period, agencyScope(codes));
    groups = set.groups.map((g) => ({ id: g.id, name: g.name }));
    scores.set(agency, {
      total: set.total.scaled,
      groups: new Map(set.groups.map((g) => [g.id, g.applicableMax === 0 ? null : g.points])),
    });
  }
  return { groups, scores };
}

/**
 * Agencies ranked by total score and by group for a period, ties sharing a rank, with the previous
 * period's rank beside. From the indicator set: the total restated out of 100 over the criteria
 * that apply (so an agency is not ranked down for a criterion that does not apply to it), each
 * group by its points; from a framework: its total and its areas' points, the previous period
 * being the same framework's previous year.
 */
export async function ranking(
  db: Executor<KpiDb>,
  identity: Identity | null,
  q: PeriodSpec & {
    agencies?: string | undefined;
    source: 'indicators' | 'framework';
    framework?: string | undefined;
    includeSubAgencies: boolean;
  },
  today: string,
) {
  // No period asked for: the quarter in progress, as the other figures default.
  const period = resolvePeriod(
    q.period === undefined && q.from === undefined && q.to === undefined
      ? { ...q, period: `${today.slice(0, 4)}-Q${Math.ceil(Number(today.slice(5, 7)) / 3)}` }
      : q,
  );
  const known = await agenciesSeen(db);
  const scope = scopeOf(identity);
  let agencies: string[];
  if (q.agencies !== undefined) {
    agencies = [
      ...new Set(
        q.agencies
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ];
    agencies.forEach((c, i) => requireAgency(identity, c, `/agencies/${i}`, 'query'));
  } else agencies = known.filter((c) => scope === null || scope.includes(c));
  if (agencies.length === 0) throw new BadInput('/agencies', 'no agency to rank');
  const source: Source =
    q.source === 'framework' ? { kind: 'framework', code: q.framework ?? '' } : { kind: 'indicators' };
  if (source.kind === 'framework' && !q.framework)
    throw new BadInput('/framework', 'name the framework whose totals rank the agencies');
  const previous =
    source.kind === 'framework'
      ? resolvePeriod({ period: String(Number(period.from.slice(0, 4)) - 1) })
      : previousPeriod(period);
  const now = await scoresOf(db, source, agencies, known, q.includeSubAgencies, period, today);
  if (!now)
    throw new BadInput(
      '/framework',
      `no framework ${q.framework} for ${period.from.slice(0, 4)}`,
      'not_found',
      404,
    );
  const before = await scoresOf(db, source, agencies, known, q.includeSubAgencies, previous, today);
  const totals = competitionRanks(new Map(agencies.map((a) => [a, now.scores.get(a)?.total ?? null])));
  const previousTotals = before
    ? competitionRanks(new Map(agencies.map((a) => [a, before.scores.get(a)?.total ?? null])))
    : new Map<string, number | null>();
  const groupRanks = new Map(
    now.groups.map((g) => [
      g.id,
      competitionRanks(new Map(agencies.map((a) => [a, now.scores.get(a)?.groups.get(g.id) ?? null]))),
    ]),
  );
  const items = agencies
    .map((a) => ({
      agencyCode: a,
      total: now.scores.get(a)?.total ?? null,
      rank: totals.get(a) ?? null,
      previousTotal: before?.scores.get(a)?.total ?? null,
      previousRank: previousTotals.get(a) ?? null,
      groups: now.groups.map((g) => ({
        id: g.id,
        points: now.scores.get(a)?.groups.get(g.id) ?? null,
        rank: groupRanks.get(g.id)?.get(a) ?? null,
      })),
    }))
    .sort((x, y) => (x.rank ?? Infinity) - (y.rank ?? Infinity) || x.agencyCode.localeCompare(y.agencyCode));
  const brief = (p: Period) => ({ kind: p.kind, basis: p.basis, label: p.label, from: p.from, to: p.to });
  return {
    source: source.kind,
    framework: source.kind === 'framework' ? source.code : null,
    period: brief(period),
    previousPeriod: brief(previous),
    groups: now.groups,
    items,
  };
}
