import { z } from 'zod';
import { ProcedurePublishedPayload } from './events';
import { FigureRequest, IndicatorSet, StatisticsTable } from './figures';
import { CatalogueStatistics, ProcedureStatisticsJob } from './procedure-statistics';
import { queues, type QueueName } from './queues';
import {
  NightlyReconcileJob,
  ReconcileJob,
  ReconcileResult,
  ReconciliationCountsJob,
  ReconciliationCountsResult,
  RepairJob,
  RepairResult,
  ReplayDossierEventsJob,
  ReplayDossierEventsResult,
} from './reconciliation';

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
  statuses: z.array(
    z.object({ status: z.enum(['published', 'suspended', 'abolished']), effectiveFrom: isoDate }),
  ),
});

/**
 * catalogue.jobs: the agency directory (code, name, parent, kind), for a service that prints
 * agencies by name (slips, messages): agencies are named where a person reads, coded where a
 * machine does.
 */
export const AgencyDirectoryJob = z.object({});
export const AgencyDirectoryEntry = z.object({
  code: z.string(),
  name: z.string(),
  parentCode: z.string().nullable(),
  kind: z.string(),
});
export const AgencyDirectoryResult = z.object({ agencies: z.array(AgencyDirectoryEntry) });
export type AgencyDirectoryEntry = z.infer<typeof AgencyDirectoryEntry>;

/** kpi.jobs: the statistics table (Biểu 06) of a period and agency, for a report. */
export const StatisticsTableJob = FigureRequest.extend({
  byProcedure: z.boolean().default(false),
  compare: z.boolean().default(false),
});
/** kpi.jobs: the indicator set (Quyết định 766/QĐ-TTg) of a period and agency, for a report or a scorecard. */
export const IndicatorSetJob = FigureRequest.extend({ compare: z.boolean().default(false) });

/** reports.render: the parent of a report flow; it renders from its children's results. */
export const RenderReportJob = z.object({ reportId: z.uuid() });

/**
 * Every job one service asks of another, by name: the queue its worker listens on, its data and
 * its result. A worker refuses to start without a handler for each job of its queue
 * (startJobWorker in @tthc/bus); a producer validates the data before adding a job.
 */
export const jobs = {
  'catalogue.procedure-snapshot': {
    queue: queues.catalogueJobs,
    data: ProcedureSnapshotJob,
    result: ProcedureSnapshotResult,
  },
  'catalogue.agency-directory': {
    queue: queues.catalogueJobs,
    data: AgencyDirectoryJob,
    result: AgencyDirectoryResult,
  },
  'catalogue.procedure-statistics': {
    queue: queues.catalogueJobs,
    data: ProcedureStatisticsJob,
    result: CatalogueStatistics,
  },
  'kpi.count-received': { queue: queues.kpiJobs, data: CountReceivedJob, result: CountReceivedResult },
  'kpi.statistics-table': { queue: queues.kpiJobs, data: StatisticsTableJob, result: StatisticsTable },
  'kpi.indicator-set': { queue: queues.kpiJobs, data: IndicatorSetJob, result: IndicatorSet },
  'kpi.reconcile': { queue: queues.kpiJobs, data: ReconcileJob, result: ReconcileResult },
  'kpi.reconcile-nightly': { queue: queues.kpiJobs, data: NightlyReconcileJob, result: ReconcileResult },
  'kpi.repair': { queue: queues.kpiJobs, data: RepairJob, result: RepairResult },
  'intake.reconciliation-counts': {
    queue: queues.intakeJobs,
    data: ReconciliationCountsJob,
    result: ReconciliationCountsResult,
  },
  'intake.replay-dossier-events': {
    queue: queues.intakeJobs,
    data: ReplayDossierEventsJob,
    result: ReplayDossierEventsResult,
  },
  'reports.schedule-tick': {
    queue: queues.reportsSchedules,
    data: z.object({}),
    result: z.object({ requested: z.array(z.uuid()) }),
  },
  'reports.render': {
    queue: queues.reportsRender,
    data: RenderReportJob,
    result: z.object({ reportId: z.uuid() }),
  },
} as const;
export type JobName = keyof typeof jobs;
export type JobData<N extends JobName> = z.infer<(typeof jobs)[N]['data']>;
export type JobInput<N extends JobName> = z.input<(typeof jobs)[N]['data']>;
export type JobResult<N extends JobName> = z.infer<(typeof jobs)[N]['result']>;
/** The jobs a queue's worker must handle. */
export type JobNameOn<Q extends QueueName> = {
  [N in JobName]: (typeof jobs)[N]['queue'] extends Q ? N : never;
}[JobName];

export function jobsOn(queue: QueueName): JobName[] {
  return (Object.keys(jobs) as JobName[]).filter((n) => jobs[n].queue === queue);
}
