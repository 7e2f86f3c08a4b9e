import { resolvePeriod, vnDate, type ReportingPeriod } from '@tthc/calendar';

export type Cadence = 'quarter' | 'half' | 'year';

/**
 * The latest period of a cadence that has closed by `now` (its last day before today in
 * Asia/Ho_Chi_Minh): on calendar periods, or on the data-cut periods of Nghị định 09/2019 (a
 * quarter closes on the 14th of its last month), which is when the statutory report is due.
 */
export function lastClosedPeriod(
  cadence: Cadence,
  basis: 'calendar' | 'statutory',
  now: Date,
): ReportingPeriod {
  const today = vnDate(now);
  const year = Number(today.slice(0, 4));
  const parts = cadence === 'quarter' ? ['Q4', 'Q3', 'Q2', 'Q1'] : cadence === 'half' ? ['H2', 'H1'] : [''];
  for (const y of [year + 1, year, year - 1]) {
    for (const part of parts) {
      const p = resolvePeriod({ period: part ? `${y}-${part}` : String(y), basis });
      if (p.to < today) return p;
    }
  }
  throw new Error(`no closed ${cadence} before ${today}`);
}
