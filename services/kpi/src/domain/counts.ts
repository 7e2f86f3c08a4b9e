import type { JobResult } from '@tthc/contracts';

export interface DayCount {
  agencyCode: string;
  day: string;
  received: number;
}

/** The figures of a count-received request: every day with receipts, and their total. */
export function summariseReceived(
  request: { agencyCode: string | null; from: string; to: string },
  days: DayCount[],
): JobResult<'kpi.count-received'> {
  return { ...request, total: days.reduce((sum, d) => sum + d.received, 0), days };
}
