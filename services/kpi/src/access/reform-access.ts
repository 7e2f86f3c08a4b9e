import type { Identity } from '@tthc/contracts';
import { requireFilterWithinScope, scopeOf } from '@tthc/service-kit';

/**
 * Who may change the reform records is each route's `x-access` (leaders keep targets, the plan
 * and the registers, assessors enter manual scores, administrators manage frameworks), enforced
 * by the gateway and again by service-kit. What is left here: a record the request does not name
 * by its `agencyCode` (an existing target, a row of an imported sheet) must belong to an agency
 * within the caller's scope (403 naming the field).
 */
export function requireAgency(
  identity: Identity | null,
  agencyCode: string,
  pointer: string,
  part: 'body' | 'query' | 'params' = 'body',
): void {
  requireFilterWithinScope(scopeOf(identity), agencyCode, { in: part, pointer });
}
