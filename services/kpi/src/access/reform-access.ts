import type { Identity, Role } from '@tthc/contracts';
import { problems, requireFilterWithinScope, scopeOf } from '@tthc/service-kit';

/**
 * Who may change the reform records, decided here as at the gateway (which checks first): leaders
 * set targets and keep the plan and registers, assessors enter manual scores, administrators
 * manage frameworks and may do everything. A scoped caller acts only within its agencies.
 */
export function requireRole(identity: Identity | null, roles: readonly Role[], what: string): Identity {
  if (!identity) throw problems.forbidden('no caller identity');
  if (!identity.roles.includes('admin') && !identity.roles.some((r) => roles.includes(r)))
    throw problems.forbidden(`${what}: for ${roles.join(', ')} or administrators`);
  return identity;
}

/** The agency a record belongs to must be within the caller's scope (403 naming the field). */
export function requireAgency(
  identity: Identity | null,
  agencyCode: string,
  pointer: string,
  part: 'body' | 'query' | 'params' = 'body',
): void {
  requireFilterWithinScope(scopeOf(identity), agencyCode, { in: part, pointer });
}
