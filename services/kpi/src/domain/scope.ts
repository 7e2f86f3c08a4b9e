/**
 * Which dossiers and procedures a figure reads: the agencies counted (the reporting agency and
 * its sub-agencies, by deciding agency; null: the whole province), and optionally one field or
 * one procedure.
 */
export interface Scope {
  agencyCodes: readonly string[] | null;
  fieldCode: string | null;
  procedureCode: string | null;
}

export const PROVINCE: Scope = { agencyCodes: null, fieldCode: null, procedureCode: null };

export function inScope(
  scope: Scope,
  d: { agencyCode: string; fieldCode: string; procedureCode: string },
): boolean {
  return (
    (scope.agencyCodes === null || scope.agencyCodes.includes(d.agencyCode)) &&
    (scope.fieldCode === null || scope.fieldCode === d.fieldCode) &&
    (scope.procedureCode === null || scope.procedureCode === d.procedureCode)
  );
}
