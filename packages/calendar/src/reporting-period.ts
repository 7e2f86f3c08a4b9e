import {
  addDays,
  addMonths,
  daysInMonth,
  formatCivilDate,
  isCivilDate,
  toDayNumber,
  type CivilDate,
} from './civil-date';
import { CALENDAR_RANGE } from './working-calendar';

/**
 * A reporting period asked for that cannot be read, naming the field at fault (a JSON pointer into
 * the request); each service turns it into its own bad-input answer.
 */
export class PeriodInputError extends Error {
  constructor(
    readonly pointer: string,
    readonly detail: string,
    readonly code: string,
  ) {
    super(`${pointer}: ${detail}`);
  }
}

export type ReportingPeriodKind = 'month' | 'quarter' | 'half' | 'year' | 'custom';
/**
 * calendar: the national portal's periods. statutory: the data-cut periods of Nghị định
 * 09/2019/NĐ-CP Art. 12.2 (a month from the 15th of the month before to the 14th; a quarter from
 * the 15th of the month before it to the 14th of its last month; a half-year and a year from
 * 15/12 of the year before to 14/6 and 14/12).
 */
export type ReportingPeriodBasis = 'calendar' | 'statutory';

export interface ReportingPeriod {
  kind: ReportingPeriodKind;
  basis: ReportingPeriodBasis;
  /** 2026-Q1, 2026-03, 2026-H1, 2026, or from..to for a custom range. */
  label: string;
  from: CivilDate;
  to: CivilDate;
}

export interface ReportingPeriodSpec {
  period?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  basis?: ReportingPeriodBasis | undefined;
}

/** Longest period a figure is asked for: ten years. */
export const MAX_PERIOD_YEARS = 10;
const LABEL = /^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])|H([12])))?$/;

function named(
  kind: Exclude<ReportingPeriodKind, 'custom'>,
  year: number,
  n: number,
  basis: ReportingPeriodBasis,
): ReportingPeriod {
  const months = { month: 1, quarter: 3, half: 6, year: 12 }[kind];
  const firstMonth = (n - 1) * months + 1;
  const lastMonth = firstMonth + months - 1;
  const label =
    kind === 'year'
      ? `${year}`
      : kind === 'month'
        ? `${year}-${String(n).padStart(2, '0')}`
        : `${year}-${kind === 'quarter' ? 'Q' : 'H'}${n}`;
  if (basis === 'calendar') {
    return {
      kind,
      basis,
      label,
      from: formatCivilDate(year, firstMonth, 1),
      to: formatCivilDate(year, lastMonth, daysInMonth(year, lastMonth)),
    };
  }
  // Statutory: from the 15th of the month before the first month, to the 14th of the last month.
  return {
    kind,
    basis,
    label,
    from: addMonths(formatCivilDate(year, firstMonth, 15), -1),
    to: formatCivilDate(year, lastMonth, 14),
  };
}

function checkRange(from: CivilDate, to: CivilDate, pointer: { from: string; to: string }): void {
  for (const [date, at] of [
    [from, pointer.from],
    [to, pointer.to],
  ] as const) {
    const year = Number(date.slice(0, 4));
    if (year < CALENDAR_RANGE.firstYear || year > CALENDAR_RANGE.lastYear) {
      throw new PeriodInputError(
        at,
        `figures cover ${CALENDAR_RANGE.firstYear}–${CALENDAR_RANGE.lastYear}`,
        'period_out_of_range',
      );
    }
  }
  if (to < from)
    throw new PeriodInputError(
      pointer.to,
      `the period ends (${to}) before it starts (${from})`,
      'invalid_period',
    );
  if (to >= addMonths(from, 12 * MAX_PERIOD_YEARS)) {
    throw new PeriodInputError(
      pointer.to,
      `a period spans at most ${MAX_PERIOD_YEARS} years`,
      'period_too_long',
    );
  }
}

/** Reads a period: a label (2026-Q1, 2026-03, 2026-H2, 2026) or a custom from..to range. */
export function resolvePeriod(spec: ReportingPeriodSpec): ReportingPeriod {
  const basis = spec.basis ?? 'calendar';
  if (spec.period !== undefined) {
    if (spec.from !== undefined || spec.to !== undefined) {
      throw new PeriodInputError(
        '/period',
        'give either a period or from and to, not both',
        'invalid_period',
      );
    }
    const m = LABEL.exec(spec.period);
    if (!m)
      throw new PeriodInputError(
        '/period',
        'a period is YYYY, YYYY-MM, YYYY-Qn or YYYY-Hn',
        'invalid_period',
      );
    const year = Number(m[1]);
    const p = m[2]
      ? named('month', year, Number(m[2]), basis)
      : m[3]
        ? named('quarter', year, Number(m[3]), basis)
        : m[4]
          ? named('half', year, Number(m[4]), basis)
          : named('year', year, 1, basis);
    checkRange(p.from, p.to, { from: '/period', to: '/period' });
    return p;
  }
  if (spec.from === undefined || spec.to === undefined) {
    throw new PeriodInputError(
      spec.from === undefined ? '/from' : '/to',
      'give a period, or both from and to',
      'invalid_period',
    );
  }
  if (!isCivilDate(spec.from)) throw new PeriodInputError('/from', 'a date YYYY-MM-DD', 'invalid_period');
  if (!isCivilDate(spec.to)) throw new PeriodInputError('/to', 'a date YYYY-MM-DD', 'invalid_period');
  checkRange(spec.from, spec.to, { from: '/from', to: '/to' });
  return { kind: 'custom', basis, label: `${spec.from}..${spec.to}`, from: spec.from, to: spec.to };
}

const labelParts = (p: ReportingPeriod) => {
  const m = LABEL.exec(p.label);
  return { year: Number(m?.[1]), n: Number(m?.[2] ?? m?.[3] ?? m?.[4] ?? 1) };
};

/** The period just before: the month, quarter, half or year before, or as many days before a custom range. */
export function previousPeriod(p: ReportingPeriod): ReportingPeriod {
  if (p.kind === 'custom') {
    const days = toDayNumber(p.to) - toDayNumber(p.from) + 1;
    const to = addDays(p.from, -1);
    const from = addDays(to, -(days - 1));
    return { ...p, label: `${from}..${to}`, from, to };
  }
  const { year, n } = labelParts(p);
  const perYear = { month: 12, quarter: 4, half: 2, year: 1 }[p.kind];
  return n > 1 ? named(p.kind, year, n - 1, p.basis) : named(p.kind, year - 1, perYear, p.basis);
}

/** The same period a year earlier. */
export function samePeriodLastYear(p: ReportingPeriod): ReportingPeriod {
  if (p.kind === 'custom') {
    const from = addMonths(p.from, -12);
    const to = addMonths(p.to, -12);
    return { ...p, label: `${from}..${to}`, from, to };
  }
  const { year, n } = labelParts(p);
  return named(p.kind, year - 1, n, p.basis);
}
