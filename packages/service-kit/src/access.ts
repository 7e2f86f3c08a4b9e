import type { Identity } from '@tthc/contracts';
import { problems, type FieldError } from './problem';

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
