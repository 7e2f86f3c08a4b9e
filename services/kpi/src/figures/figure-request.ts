import type { FigureRequest as FigureRequestIn, Identity } from '@tthc/contracts';
import type { Executor } from '@tthc/db';
import { resolveAgencies, type ResolvedAgencies } from '../access/agency-scope';
import { agenciesSeen } from '../db/dossier.repository';
import type { KpiDb } from '../db/schema';
import { resolvePeriod, type Period } from '../domain/period';
import type { Scope } from '../domain/scope';

export interface ResolvedFigureRequest {
  period: Period;
  scope: Scope;
  agencies: ResolvedAgencies;
}

/**
 * Reads what a figure is asked for (API or job): the period, and the agencies the caller may see
 * (a job from a service counts province-wide: identity null). Bad input throws BadInput naming
 * the field; an agency outside the caller's scope, a 403.
 */
export async function resolveFigureRequest(
  db: Executor<KpiDb>,
  identity: Identity | null,
  q: Omit<FigureRequestIn, 'basis' | 'includeSubAgencies'> &
    Partial<Pick<FigureRequestIn, 'basis' | 'includeSubAgencies'>>,
): Promise<ResolvedFigureRequest> {
  const period = resolvePeriod(q);
  const agencies = resolveAgencies(
    identity,
    { agencyCode: q.agencyCode, agencies: q.agencies, includeSubAgencies: q.includeSubAgencies },
    await agenciesSeen(db),
  );
  return {
    period,
    agencies,
    scope: {
      agencyCodes: agencies.agencyCodes,
      fieldCode: q.fieldCode ?? null,
      procedureCode: q.procedureCode ?? null,
    },
  };
}
