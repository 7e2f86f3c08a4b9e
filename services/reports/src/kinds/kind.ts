import { PeriodInputError, resolvePeriod, vnDate, type ReportingPeriod } from '@tthc/calendar';
import { AgencyCode, jobs, type JobInput, type JobName, type JobResult } from '@tthc/contracts';
import { z } from 'zod';
import type { StatisticsDossierRow } from '@tthc/contracts';
import type { Cell, ReportDocument } from '../domain/document';
import type { AppendixSheet } from '../formats/appendix.xlsx';

/** What every kind asks for: the agency reported on (null: the province) and a named period. */
export const PeriodParams = z.object({
  agencyCode: AgencyCode.nullable()
    .default(null)
    .meta({ description: 'the reporting agency (its sub-agencies included); null: the whole province' }),
  period: z.string().max(10).meta({ description: 'YYYY, YYYY-MM, YYYY-Qn or YYYY-Hn', example: '2026-Q1' }),
  basis: z.enum(['calendar', 'statutory']).default('calendar').meta({
    description:
      'calendar periods (national portal) or the data-cut periods of Nghị định 09/2019 (15th to 14th)',
  }),
});
export type PeriodParams = z.infer<typeof PeriodParams>;

/** A child job of a report's flow: the job (by its contract name) and its data, under a key. */
export interface ChildJob {
  key: string;
  name: JobName;
  data: unknown;
}
export const child = <N extends JobName>(key: string, name: N, data: JobInput<N>): ChildJob => ({
  key,
  name,
  data: jobs[name].data.parse(data),
});

/** Reads a child's answer against its contract (what a service answered is checked before use). */
export function answer<N extends JobName>(
  answers: Record<string, unknown>,
  key: string,
  name: N,
): JobResult<N> {
  if (!(key in answers)) throw new Error(`the answer of ${key} (${name}) is missing`);
  return jobs[name].result.parse(answers[key]) as JobResult<N>;
}

/**
 * A detail appendix a kind adds (one row per dossier, 100,000 and more): its sheet, the kpi
 * request whose pages list the rows, how a row reads, and how many rows the figures say there
 * are (the appendix must list exactly that many, or the report is not rendered).
 */
export interface AppendixPlan {
  sheet: AppendixSheet;
  request: Omit<JobInput<'kpi.statistics-dossiers'>, 'cursor' | 'limit'>;
  row: (r: StatisticsDossierRow, n: number) => Cell[];
  expectedRows: number;
}

export interface AssemblyContext {
  reportId: string;
  version: number;
  /** The data cut: when the report was requested. */
  dataCutAt: Date;
}

/**
 * A kind of report: its parameters, the child jobs its figures come from, and how their answers
 * become a document. The workers only ever go through this interface.
 */
export interface ReportKind<P extends PeriodParams = PeriodParams> {
  kind: string;
  title: string;
  params: z.ZodType<P, any>;
  /** The jobs the figures come from, for the period the request names (resolved by reportPeriod). */
  children: (params: P, period: ReportingPeriod) => ChildJob[];
  assemble: (params: P, answers: Record<string, unknown>, ctx: AssemblyContext) => ReportDocument;
  /** The detail appendix, when the kind has one and the request asks for it. */
  appendix?: (params: P, answers: Record<string, unknown>) => AppendixPlan | null;
}

/** A field that cannot be accepted, with a JSON pointer into the request body. */
export class ParamsRefused extends Error {
  constructor(
    readonly pointer: string,
    readonly detail: string,
    readonly code: string,
  ) {
    super(`${pointer}: ${detail}`);
  }
}

/**
 * The period a report covers. A period in the future, or one that has not ended by today
 * (Asia/Ho_Chi_Minh), is refused: a report is of a period that is over, so its figures do not move.
 */
export function reportPeriod(p: PeriodParams, now: Date): ReportingPeriod {
  let period: ReportingPeriod;
  try {
    period = resolvePeriod({ period: p.period, basis: p.basis });
  } catch (err) {
    if (err instanceof PeriodInputError) throw new ParamsRefused('/params/period', err.detail, err.code);
    throw err;
  }
  const today = vnDate(now);
  if (period.from > today) {
    throw new ParamsRefused(
      '/params/period',
      `the period ${period.label} starts on ${period.from}, in the future`,
      'period_in_future',
    );
  }
  if (period.to >= today) {
    throw new ParamsRefused(
      '/params/period',
      `the period ${period.label} ends on ${period.to}: a report is made once its period is over`,
      'period_not_over',
    );
  }
  return period;
}

/** The figure request every kpi child of a kind gets. */
export const figureRequest = (p: PeriodParams) => ({
  period: p.period,
  basis: p.basis,
  ...(p.agencyCode ? { agencyCode: p.agencyCode } : {}),
});
