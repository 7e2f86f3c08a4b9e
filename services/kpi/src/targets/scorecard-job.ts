import type { JobData, JobResult } from '@tthc/contracts';
import type { Executor } from '@tthc/db';
import { getFramework, listFrameworks } from '../db/framework.repository';
import type { KpiDb } from '../db/schema';
import { BadInput } from '../domain/bad-input';
import { resolvePeriod } from '../domain/period';
import type { NodeResult } from '../frameworks/framework';
import { frameworkResult } from '../frameworks/framework.commands';
import { scorecard } from './scorecard';

type Rows = JobResult<'kpi.scorecard'>['frameworks'][number]['rows'];
type Evidence = NonNullable<Rows[number]['appraisal']>['evidence'];

interface ManualShape {
  points: number;
  comment: string | null;
  evidence: unknown;
  assessor: string;
  assessorName: string | null;
}
const manual = (m: ManualShape | null) =>
  m
    ? {
        points: m.points,
        comment: m.comment,
        evidence: Array.isArray(m.evidence) ? (m.evidence as Evidence) : [],
        assessor: m.assessor,
        assessorName: m.assessorName,
      }
    : null;

/** A framework's tree as rows in reading order, each with its depth. */
function flatten(nodes: readonly NodeResult[], depth = 0, out: Rows = []): Rows {
  for (const n of nodes) {
    out.push({
      code: n.code,
      name: n.name,
      depth,
      maxPoints: n.maxPoints,
      points: n.points,
      source: n.source,
      value: n.value,
      selfAssessment: manual(n.selfAssessment),
      appraisal: manual(n.appraisal),
    });
    flatten(n.children, depth + 1, out);
  }
  return out;
}

/**
 * The scorecard a report asks for: the agency's targets over a calendar period within one year,
 * and the reform-index results of that year as of the period's last day (so a closed period's
 * report comes out the same; a published result is answered as stored).
 */
export async function scorecardForReport(
  db: Executor<KpiDb>,
  q: JobData<'kpi.scorecard'>,
): Promise<JobResult<'kpi.scorecard'>> {
  // Judged as of the period's last day: the trend stops there, a framework's year runs to it.
  const asOf = resolvePeriod({ period: q.period }).to;
  const card = await scorecard(
    db,
    null,
    { period: q.period, agencyCode: q.agencyCode, subAgencies: false },
    asOf,
  );
  const frameworks = q.framework
    ? [await getFramework(db, q.framework, card.year)]
    : await listFrameworks(db, card.year);
  if (q.framework && !frameworks[0])
    throw new BadInput('/framework', `no framework ${q.framework} of ${card.year}`, 'unknown_framework', 404);
  const results = [];
  for (const f of frameworks) {
    if (!f) continue;
    const r = await frameworkResult(db, f, q.agencyCode, asOf);
    results.push({
      code: r.framework.code,
      year: r.framework.year,
      name: r.framework.name,
      version: r.framework.version,
      total: r.total,
      max: r.max,
      complete: r.complete,
      frozen: r.frozen,
      publishedAt: r.publishedAt,
      rows: flatten(r.areas),
    });
  }
  return {
    period: card.period,
    year: card.year,
    agencyCode: q.agencyCode,
    agencies: card.agencies,
    summary: card.summary,
    lines: card.lines.map((l) => ({
      indicator: l.indicator,
      name: l.name,
      unit: l.unit,
      comparator: l.comparator,
      target: l.target,
      actual: l.actual,
      met: l.met,
      gap: l.gap,
      trend: l.trend,
    })),
    frameworks: results,
  };
}
