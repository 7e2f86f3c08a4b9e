import type { Identity } from '@tthc/contracts';
import { requireFilterWithinScope, scopeOf } from '@tthc/service-kit';
import { BadInput } from '../domain/bad-input';
import { subtreeByCode } from '../domain/agency-tree';

export interface AgencyRequest {
  /** The reporting agency; absent: the province (or, for a scoped caller, its own agencies). */
  agencyCode?: string | undefined;
  /** The agencies to count, as the catalogue's tree gives them (reports pass it); overrides the default tree. */
  agencies?: readonly string[] | undefined;
  includeSubAgencies?: boolean | undefined;
}

export interface ResolvedAgencies {
  reportingAgency: string | null;
  /** The deciding agencies whose dossiers and procedures are counted; null: all of the province. */
  agencyCodes: string[] | null;
  /** How the list was decided, for the answer (explicit, identity, code, single, province). */
  tree: 'explicit' | 'identity' | 'code' | 'single' | 'province';
}

/**
 * The one place that decides which agencies a figure counts and whether the caller may see them.
 * A caller limited to some agencies (identity.agencyScope, resolved by the gateway from the
 * catalogue's tree) asking for another gets 403. The sub-agencies of the reporting agency are:
 * the list the caller gives; else, for the caller's own agency, its scope (exactly the catalogue's
 * subtree); else the agencies below it by electronic code (domain/agency-tree.ts), among those kpi
 * has seen in events. An agency kpi has never seen is unknown (404 naming the field).
 */
export function resolveAgencies(
  identity: Identity | null,
  req: AgencyRequest,
  known: readonly string[],
  pointerBase = '',
): ResolvedAgencies {
  const scope = scopeOf(identity);
  const knownSet = new Set(known);
  const outside = (code: string) => scope !== null && !scope.includes(code);
  if (req.agencies !== undefined) {
    req.agencies.forEach((code, i) => {
      requireFilterWithinScope(scope, code, { in: 'query', pointer: `${pointerBase}/agencies/${i}` });
      if (!knownSet.has(code))
        throw new BadInput(
          `${pointerBase}/agencies/${i}`,
          `agency ${code} is unknown to kpi (no procedure or dossier of it)`,
          'unknown_agency',
          404,
        );
    });
  }
  if (req.agencyCode === undefined) {
    if (req.agencies !== undefined)
      return { reportingAgency: null, agencyCodes: [...new Set(req.agencies)].sort(), tree: 'explicit' };
    return scope === null
      ? { reportingAgency: null, agencyCodes: null, tree: 'province' }
      : { reportingAgency: null, agencyCodes: [...scope].sort(), tree: 'identity' };
  }
  const code = req.agencyCode;
  requireFilterWithinScope(scope, code, { in: 'query', pointer: `${pointerBase}/agencyCode` });
  if (!knownSet.has(code))
    throw new BadInput(
      `${pointerBase}/agencyCode`,
      `agency ${code} is unknown to kpi (no procedure or dossier of it)`,
      'unknown_agency',
      404,
    );
  if (req.agencies !== undefined)
    return {
      reportingAgency: code,
      agencyCodes: [...new Set([code, ...req.agencies])].sort(),
      tree: 'explicit',
    };
  if (req.includeSubAgencies === false) return { reportingAgency: code, agencyCodes: [code], tree: 'single' };
  if (scope !== null && identity?.agencyCode === code)
    return { reportingAgency: code, agencyCodes: [...scope].sort(), tree: 'identity' };
  const tree = subtreeByCode(code, known).filter((c) => !outside(c));
  return { reportingAgency: code, agencyCodes: tree, tree: 'code' };
}
