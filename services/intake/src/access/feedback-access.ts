import { requireWithinScope, type AgencyScope } from '@tthc/service-kit';

/**
 * A feedback (phản ánh, kiến nghị) belongs to the agency that must answer it: officers see,
 * assign and answer the feedback of their agency and those below it; province-wide callers all.
 * Receiving one on behalf of an agency follows the same rule.
 */
export function requireFeedbackScope(scope: AgencyScope, f: { code?: string; agency_code: string }): void {
  requireWithinScope(scope, [f.agency_code], f.code ? `feedback ${f.code}` : `agency ${f.agency_code}`);
}
