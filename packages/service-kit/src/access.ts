import type { Identity, Role } from '@tthc/contracts';
import { problems, type FieldError } from './problem';

/**
 * Who may call a route, declared once next to its schema (`schema['x-access']`). The service's
 * document carries it (finishDocument: `security`, `x-roles`, `x-agency-scoped`,
 * `x-personal-data`), the gateway enforces what the merged document says, every service enforces
 * it again on its own routes (createService), and the README's table is generated from it.
 */
export interface RouteAccess {
  /** The roles that may call it, or 'public' (anyone, signed in or not). Administrators may call every route. */
  roles: 'public' | readonly Role[];
  /**
   * The route's records belong to agencies: an officer sees and acts only within its agency
   * scope; a list is filtered to it, and an `agencyCode` the path or query names outside it is
   * refused (403 naming the field) before the handler runs.
   */
  agencyScoped: boolean;
  /**
   * The body's `agencyCode` is the agency the record belongs to (a target, a plan task, a score),
   * refused like the path's and query's when outside the scope. Not where it names another
   * agency on purpose (the agency a dossier is handed over to).
   */
  agencyInBody?: boolean;
  /**
   * The answer carries a person's contact details (an applicant's, a sender's): shown in full to
   * these roles (administrators too), masked for the others, and every full read is logged
   * (personal_data_access).
   */
  personalData?: readonly Role[];
}

/** The officers of an agency: its desk, its processing officers and its leaders. */
export const OFFICERS = ['desk_officer', 'processing_officer', 'leader'] as const satisfies readonly Role[];
/** The officers who handle dossiers day to day. */
export const HANDLERS = ['desk_officer', 'processing_officer'] as const satisfies readonly Role[];
/** For administrators only (who may call every route). */
export const ADMIN_ONLY = [] as const satisfies readonly Role[];

/** The declaration of a route that is for administrators only (and the default of an undeclared one). */
export const ADMIN_ACCESS: RouteAccess = { roles: ADMIN_ONLY, agencyScoped: false };

/** Whether callers with these roles may call a route open to `allowed` (the administrator may call all). */
export function rolesAllow(allowed: 'public' | readonly string[], roles: readonly string[]): boolean {
  if (allowed === 'public') return true;
  return roles.includes('admin') || roles.some((r) => allowed.includes(r));
}

/** The roles the document names for a route: `['public']`, or the roles with `admin` last. */
export function documentedRoles(access: RouteAccess): string[] {
  if (access.roles === 'public') return ['public'];
  return [...new Set([...access.roles.filter((r) => r !== 'admin'), 'admin'])];
}

/** The roles an `x-roles` of the document allows ('public' for a public operation). */
export function rolesFromDocument(xRoles: unknown): 'public' | string[] | undefined {
  if (!Array.isArray(xRoles) || !xRoles.every((r) => typeof r === 'string')) return undefined;
  return xRoles.includes('public') ? 'public' : (xRoles as string[]);
}

/** Whether the caller sees the personal data a route declares in full (and so has its read logged). */
export function seesPersonalData(access: RouteAccess | undefined, identity: Identity | null): boolean {
  if (!access?.personalData || identity === null) return false;
  return rolesAllow(access.personalData, identity.roles);
}

/**
 * The agencies whose data a caller may see: its agency and every one below it, as the gateway
 * resolved them from the agency tree; null for a province-wide caller (portal, reporter,
 * administrator). Every service decides visibility through these few functions, so the scope
 * rule is written once.
 */
export type AgencyScope = readonly string[] | null;

export function scopeOf(identity: Identity | null | undefined): AgencyScope {
  return identity?.agencyScope ?? null;
}

/** Whether any of the given agencies is within the scope (a null scope holds every agency). */
export function withinScope(
  scope: AgencyScope,
  agencyCodes: readonly (string | null | undefined)[],
): boolean {
  if (scope === null) return true;
  return agencyCodes.some((c) => c != null && scope.includes(c));
}

/** Refuses (403) when none of the agencies a record belongs to is within the caller's scope. */
export function requireWithinScope(
  scope: AgencyScope,
  agencyCodes: readonly (string | null | undefined)[],
  what: string,
): void {
  if (!withinScope(scope, agencyCodes)) throw problems.forbidden(`${what} belongs to another agency`);
}

/**
 * A filter naming an agency (`?agencyCode=`, `params.agencyCode`) must name one within the
 * caller's scope: 403 naming the field, rather than an empty answer that hides the refusal.
 */
export function requireFilterWithinScope(
  scope: AgencyScope,
  agencyCode: string,
  at: Pick<FieldError, 'in' | 'pointer'>,
): void {
  if (scope !== null && !scope.includes(agencyCode)) {
    const detail = `agency ${agencyCode} is outside your scope`;
    throw problems.forbidden(detail, [{ ...at, detail }]);
  }
}

/** The agencies a list may show: what the caller asked for, within its scope (undefined: all). */
export function listScope(scope: AgencyScope): string[] | undefined {
  return scope === null ? undefined : [...scope];
}
