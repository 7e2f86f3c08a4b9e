import type { Identity } from '@tthc/contracts';

/** Roles that handle dossiers and so may see an applicant's full contact details. */
const HANDLERS = new Set(['desk_officer', 'processing_officer', 'leader', 'admin']);

export function seesPersonalData(identity: Identity | null): boolean {
  return identity !== null && identity.roles.some((r) => HANDLERS.has(r));
}

/**
 * An officer sees the dossiers of its agency and those below it (the gateway resolves the
 * scope from the agency tree); a null scope is province-wide. Defence in depth: the gateway
 * already checked the role.
 */
export function inScope(identity: Identity | null, agencyCodes: (string | null)[]): boolean {
  const scope = identity?.agencyScope ?? null;
  if (scope === null) return true;
  return agencyCodes.some((c) => c !== null && scope.includes(c));
}

/** 09******78, a***@example.vn, 0010******45: enough to recognise, not to use. */
export function mask(value: string): string {
  const at = value.indexOf('@');
  if (at > 0) return `${value[0]}***${value.slice(at)}`;
  if (value.length <= 4) return '*'.repeat(value.length);
  return `${value.slice(0, 2)}${'*'.repeat(Math.max(2, value.length - 4))}${value.slice(-2)}`;
}
