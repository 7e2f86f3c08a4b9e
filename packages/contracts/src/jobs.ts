import { z } from 'zod';

const isoDate = z.iso.date();

/** kpi.jobs: count dossiers received per agency and day in a date range (inclusive). */
export const CountReceivedJob = z.object({
  agencyCode: z.string().nullable(),
  from: isoDate,
  to: isoDate,
});
export const CountReceivedResult = z.object({
  agencyCode: z.string().nullable(),
  from: isoDate,
  to: isoDate,
  total: z.number().int().nonnegative(),
  days: z.array(z.object({ agencyCode: z.string(), day: isoDate, received: z.number().int().nonnegative() })),
});

/** reports.render: the parent of a report flow; it renders from its children's results. */
export const RenderReportJob = z.object({ reportId: z.uuid() });

export const jobs = {
  'kpi.count-received': { data: CountReceivedJob, result: CountReceivedResult },
  'reports.render': { data: RenderReportJob, result: z.object({ reportId: z.uuid() }) },
} as const;
export type JobName = keyof typeof jobs;
export type JobData<N extends JobName> = z.infer<(typeof jobs)[N]['data']>;
export type JobResult<N extends JobName> = z.infer<(typeof jobs)[N]['result']>;
