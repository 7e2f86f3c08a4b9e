import {
  PeriodInputError,
  resolvePeriod as resolveReportingPeriod,
  type ReportingPeriod,
  type ReportingPeriodBasis,
  type ReportingPeriodKind,
  type ReportingPeriodSpec,
} from '@tthc/calendar';
import { BadInput } from './bad-input';

/** The reporting periods live in @tthc/calendar (the reports service reads them too); kpi answers bad ones as BadInput. */
export { MAX_PERIOD_YEARS, previousPeriod, samePeriodLastYear } from '@tthc/calendar';
export type Period = ReportingPeriod;
export type PeriodKind = ReportingPeriodKind;
export type PeriodBasis = ReportingPeriodBasis;
export type PeriodSpec = ReportingPeriodSpec;

/** Reads a period: a label (2026-Q1, 2026-03, 2026-H2, 2026) or a custom from..to range. */
export function resolvePeriod(spec: PeriodSpec): Period {
  try {
    return resolveReportingPeriod(spec);
  } catch (err) {
    if (err instanceof PeriodInputError) throw new BadInput(err.pointer, err.detail, err.code);
    throw err;
  }
}
