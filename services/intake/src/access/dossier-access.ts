import { problems, requireWithinScope, withinScope, type AgencyScope } from '@tthc/service-kit';
import type { DossierAction } from '../domain/lifecycle';

/**
 * What a caller may do with a dossier, from its agency scope:
 * - `full`: the dossier belongs to an agency in scope (the deciding agency or the receiving desk,
 *   or one above them), or the caller is province-wide: every action its roles allow.
 * - `step`: an agency in scope holds an open step of the inter-agency (một cửa liên thông)
 *   processing: it reads the dossier and acts on its own step (hands it over, completes it, or
 *   returns it for correction), nothing else.
 * - `read`: an agency in scope held a step that is done: it keeps read access for its records
 *   and the control sheet.
 * - `none`: 403.
 * The desk lists apply the same rule in SQL (db/dossier.repository.ts, `visibleTo`); a test
 * checks that the two agree.
 */
export type DossierAccess = 'full' | 'step' | 'read' | 'none';

export interface ScopedDossier {
  code: string;
  agency_code: string;
  receiving_agency_code: string;
}

export interface ScopedStep {
  seq: number;
  agency_code: string;
  completed_at: Date | null;
}

export function dossierAccess(
  scope: AgencyScope,
  d: ScopedDossier,
  steps: readonly ScopedStep[],
): DossierAccess {
  if (withinScope(scope, [d.agency_code, d.receiving_agency_code])) return 'full';
  const held = steps.filter((s) => withinScope(scope, [s.agency_code]));
  if (held.some((s) => s.completed_at === null)) return 'step';
  return held.length > 0 ? 'read' : 'none';
}

/** The actions an agency holding an open step may take on the dossier. */
export const STEP_ACTIONS: readonly DossierAction[] = ['assign', 'complete_step'];

/** Refuses (403) a caller that may not read the dossier. */
export function requireDossierRead(
  scope: AgencyScope,
  d: ScopedDossier,
  steps: readonly ScopedStep[],
): DossierAccess {
  const access = dossierAccess(scope, d, steps);
  if (access === 'none') throw problems.forbidden(`dossier ${d.code} belongs to another agency`);
  return access;
}

/** Refuses (403) an action the caller's access to the dossier does not cover. */
export function requireDossierAction(
  scope: AgencyScope,
  d: ScopedDossier,
  steps: readonly ScopedStep[],
  action: DossierAction | 'rate' | 'set_preferences',
): DossierAccess {
  const access = requireDossierRead(scope, d, steps);
  if (access === 'full' || (access === 'step' && (STEP_ACTIONS as readonly string[]).includes(action)))
    return access;
  throw problems.forbidden(
    access === 'step'
      ? `your agency holds a step of dossier ${d.code}: it may hand over, complete or return that step, not ${action}`
      : `your agency's step of dossier ${d.code} is done: it may read the dossier, not act on it`,
  );
}

/** The open steps the caller's agencies hold (what a hand-over or a completion by them closes). */
export function stepsHeldBy<S extends ScopedStep>(scope: AgencyScope, steps: readonly S[]): S[] {
  return steps.filter((s) => s.completed_at === null && withinScope(scope, [s.agency_code]));
}

/**
 * Filing a dossier creates it in the books of the procedure's deciding agency and receiving desk:
 * a caller may file only for a procedure one of them is in its scope (a provincial service
 * centre receives for the departments whose procedures name it as the receiving desk).
 */
export function requireFilingScope(
  scope: AgencyScope,
  procedure: { code: string; deciding_agency_code: string; receiving_agency_code: string },
): void {
  requireWithinScope(
    scope,
    [procedure.deciding_agency_code, procedure.receiving_agency_code],
    `procedure ${procedure.code}`,
  );
}
