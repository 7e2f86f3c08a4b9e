import type { CountRow, PeriodChangeRow } from '../db/procedure.repository';

export interface Share {
  count: number;
  total: number;
  /** count / total, null when there is nothing to divide (N/A, not zero). */
  rate: number | null;
}

const share = (count: number, total: number): Share => ({
  count,
  total,
  rate: total === 0 ? null : count / total,
});

/** Civil-date arithmetic on YYYY-MM-DD strings (UTC noon avoids any zone edge). */
export function addCalendarDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function legacyBucket(level: number | null): 'level1' | 'level2' | 'level3' | 'level4' | 'none' {
  return level === 1
    ? 'level1'
    : level === 2
      ? 'level2'
      : level === 3
        ? 'level3'
        : level === 4
          ? 'level4'
          : 'none';
}

export interface StatisticsInput {
  counts: CountRow[];
  changes: PeriodChangeRow[];
  /** Working days after `from` up to and including `to` (both civil dates). */
  workingDaysBetween: (from: string, to: string) => number;
}

/**
 * The catalogue's figures for a reporting agency (domain.md "Publication timeliness"):
 * - a provincial decision is on time when signed at least 5 days before its legal basis takes
 *   effect (the latest effective date among the record's legal basis);
 * - a record is made public on time when it reached the national database within 5 working
 *   days of the decision.
 * Shares are over the procedures in force (published) on the date.
 */
export function computeStatistics(input: StatisticsInput) {
  const byStatus = { draft: 0, published: 0, suspended: 0, abolished: 0 };
  const onlineLevels = { full: 0, partial: 0, none: 0 };
  const legacyLevels = { level1: 0, level2: 0, level3: 0, level4: 0, none: 0 };
  let online = 0;
  let fee = 0;
  let complete = 0;
  for (const r of input.counts) {
    byStatus[r.status] += r.n;
    if (r.status !== 'published') continue;
    if (r.online_level !== 'none') online += r.n;
    onlineLevels[r.online_level as keyof typeof onlineLevels] += r.n;
    legacyLevels[legacyBucket(r.legacy_level)] += r.n;
    fee += r.fee_bearing;
    complete += r.complete;
  }
  const inForce = byStatus.published;

  const decisions = input.changes.filter((c) => c.action !== 'abolished');
  const withBasis = decisions.filter(
    (c) => c.legal_basis_effective !== null && c.decision_signed_on !== null,
  );
  const decisionsOnTime = withBasis.filter(
    (c) => (c.decision_signed_on as string) <= addCalendarDays(c.legal_basis_effective as string, -5),
  ).length;
  const withPublication = decisions.filter(
    (c) => c.national_published_on !== null && c.decision_signed_on !== null,
  );
  const publishedOnTime = withPublication.filter(
    (c) => input.workingDaysBetween(c.decision_signed_on as string, c.national_published_on as string) <= 5,
  ).length;

  const list = (action: PeriodChangeRow['action']) =>
    input.changes
      .filter((c) => c.action === action)
      .map((c) => ({
        code: c.code,
        name: c.name,
        fieldCode: c.field_code,
        version: c.version,
        decisionNumber: c.decision_number,
        signedOn: c.decision_signed_on,
        effectiveFrom: c.effective_from,
      }));

  return {
    totals: byStatus,
    // Both classifications of the procedures in force, each adding up to totals.published: the
    // online level of Nghị định 42/2022 and the levels 1–4 of Nghị định 43/2011 that reports up to
    // 2022 count ("mức độ 3, 4"), records without a legacy level under none.
    publishedByLevel: { total: inForce, online: onlineLevels, legacy: legacyLevels },
    shares: {
      online: share(online, inForce),
      feeBearing: share(fee, inForce),
      completeContent: share(complete, inForce),
    },
    changes: { published: list('published'), amended: list('amended'), abolished: list('abolished') },
    timeliness: {
      decisionsIssuedOnTime: share(decisionsOnTime, withBasis.length),
      madePublicOnTime: {
        ...share(publishedOnTime, withPublication.length),
        notYetRecorded: decisions.length - withPublication.length,
      },
    },
  };
}
