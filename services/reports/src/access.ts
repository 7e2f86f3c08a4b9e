import { requireWithinScope, type AgencyScope } from '@tthc/service-kit';

/**
 * A report belongs to the agency it reports on: an officer sees and requests the reports of its
 * agency and those below it; a report on the whole province (no agency) is for province-wide
 * callers only.
 */
export function requireReportScope(
  scope: AgencyScope,
  report: { id?: string; agencyCode: string | null },
): void {
  requireWithinScope(
    scope,
    [report.agencyCode],
    report.id
      ? `report ${report.id}`
      : report.agencyCode
        ? `agency ${report.agencyCode}`
        : 'a province-wide report',
  );
}
