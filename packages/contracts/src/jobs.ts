import { z } from 'zod';
import { ProcedurePublishedPayload } from './events';

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

/**
 * catalogue.jobs: a procedure as the catalogue holds it now, for a service whose copy from the
 * procedure.* events has not arrived yet (intake receiving a dossier just after publication):
 * every published version, and the status changes with their effective dates.
 */
export const ProcedureSnapshotJob = z.object({ code: z.string().regex(/^\d\.\d{6}$/) });
export const ProcedureSnapshotResult = z.object({
  code: z.string(),
  found: z.boolean(),
  versions: z.array(ProcedurePublishedPayload),
  statuses: z.array(z.object({ status: z.enum(['published', 'suspended', 'abolished']), effectiveFrom: isoDate })),
});

/** reports.render: the parent of a report flow; it renders from its children's results. */
export const RenderReportJob = z.object({ reportId: z.uuid() });

export const jobs = {
  'catalogue.procedure-snapshot': { data: ProcedureSnapshotJob, result: ProcedureSnapshotResult },
  'kpi.count-received': { data: CountReceivedJob, result: CountReceivedResult },
  'reports.render': { data: RenderReportJob, result: z.object({ reportId: z.uuid() }) },
} as const;
export type JobName = keyof typeof jobs;
export type JobData<N extends JobName> = z.infer<(typeof jobs)[N]['data']>;
export type JobResult<N extends JobName> = z.infer<(typeof jobs)[N]['result']>;
