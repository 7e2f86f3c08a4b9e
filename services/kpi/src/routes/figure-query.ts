import { vnDate } from '@tthc/calendar';
import { AgencyCode, type Identity } from '@tthc/contracts';
import { HttpProblem, isProblemCode, problemCodeForStatus, problems } from '@tthc/service-kit';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import { BadInput } from '../domain/bad-input';
import { resolveFigureRequest, type ResolvedFigureRequest } from '../figures/figure-request';
import { FigureIdentityError } from '../figures/statistics-table';
import type { AppDeps } from '../deps';

const bool = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false'])
    .default(fallback)
    .transform((v) => v === 'true');

/** What every figure is asked for: a period, the agencies, a field or procedure. */
export const FigureQuery = z.object({
  period: z.string().max(20).optional().meta({
    description: 'YYYY, YYYY-MM, YYYY-Qn or YYYY-Hn; or give from and to; neither: the current quarter',
    example: '2026-Q1',
  }),
  from: z.iso.date().optional().meta({ description: 'first day of a custom period (inclusive)' }),
  to: z.iso
    .date()
    .optional()
    .meta({ description: 'last day of a custom period (inclusive); at most ten years after from' }),
  basis: z.enum(['calendar', 'statutory']).default('calendar').meta({
    description:
      'calendar periods (the national portal) or the data-cut periods of Nghị định 09/2019 (the 15th to the 14th)',
  }),
  agencyCode: AgencyCode.optional().meta({
    description: 'the reporting agency; absent: the province, or your own agencies',
  }),
  agencies: z.string().max(4000).optional().meta({
    description:
      'comma-separated agency codes to count (the catalogue’s subtree); default: the agencies below agencyCode by electronic code',
  }),
  includeSubAgencies: bool('true').meta({ description: 'count the reporting agency’s sub-agencies too' }),
  fieldCode: z.string().min(1).max(50).optional(),
  procedureCode: z.string().min(1).max(60).optional(),
});
export type FigureQuery = z.infer<typeof FigureQuery>;

export const booleanQuery = bool;

/** A domain refusal as problem+json naming the field (in the query unless said otherwise). */
export function asProblem(err: unknown, part: 'query' | 'params' | 'body' = 'query'): unknown {
  if (err instanceof BadInput) {
    return new HttpProblem(
      err.status,
      // every code of the domain is registered (tests/e2e/problem-types.test.ts); the status's type otherwise
      isProblemCode(err.code) ? err.code : problemCodeForStatus(err.status),
      err.status === 404 ? 'Không tìm thấy' : 'Yêu cầu không hợp lệ',
      err.message,
      {
        errors: [{ in: part, pointer: err.pointer, detail: err.detail }],
      },
    );
  }
  return err;
}

/** Runs a figure, answering bad input as 4xx naming the field and a broken identity as a logged 500. */
export async function answering<T>(log: FastifyBaseLogger, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof FigureIdentityError) {
      log.error(
        { row: err.rowId, identity: err.identity, figures: err.figures },
        'statistics identity violated: the figures are wrong, not sent',
      );
      throw new HttpProblem(
        500,
        'figures_inconsistent',
        'Lỗi hệ thống',
        `row ${err.rowId} breaks ${err.identity}; the figures were not sent`,
      );
    }
    throw asProblem(err);
  }
}

/** Reads the period and resolves the agencies the caller may see (403 outside its scope). */
export async function figureRequest(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  identity: Identity | null,
  q: FigureQuery,
): Promise<ResolvedFigureRequest> {
  // Asked for no period at all: the quarter in progress, as a dashboard shows it.
  if (q.period === undefined && q.from === undefined && q.to === undefined) {
    const [y, m] = vnDate(deps.clock()).split('-').map(Number);
    q = { ...q, period: `${y}-Q${Math.ceil(m! / 3)}` };
  }
  let agencies: string[] | undefined;
  if (q.agencies !== undefined) {
    agencies = q.agencies
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    agencies.forEach((code, i) => {
      if (!AgencyCode.safeParse(code).success)
        throw new BadInput(`/agencies/${i}`, `not an agency code: ${code}`, 'invalid_agency_code');
    });
  }
  if (identity === null) throw problems.forbidden('no caller identity');
  return resolveFigureRequest(deps.db, identity, { ...q, agencies });
}
