import { z } from 'zod';
import { ProcedurePublishedPayload } from './events';
import { AgenciesOut, FigureRequest, IndicatorSet, PeriodOut, StatisticsTable } from './figures';
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
/**
 * kpi.jobs: a page of the dossiers the statistics table counts (column "tổng số hồ sơ": carried
 * over and received), in order of receipt, for a report's detail appendix; the pages together list
 * exactly `total` dossiers.
 */
export const StatisticsDossiersJob = FigureRequest.extend({
  cursor: z.string().max(1000).optional(),
  limit: z.number().int().min(1).max(5000).default(2000),
});
export const StatisticsDossierRow = z.object({
  code: z.string(),
  agencyCode: z.string().nullable(),
  procedureCode: z.string().nullable(),
  fieldCode: z.string().nullable(),
  authorityLevel: z.string(),
  channel: z.string().nullable(),
  receivedDay: z.iso.date().nullable(),
  endedDay: z.iso.date().nullable(),
  /** How it ended by the end of the period (resolved, returned, withdrawn, stopped …); null: still open. */
  endKind: z.string().nullable(),
  /** Against the legal due date, once ended: early, on_time or late; null while still open at the end of the period. */
  legalOutcome: z.string().nullable(),
  supplementRequests: z.number().int(),
});
export type StatisticsDossierRow = z.infer<typeof StatisticsDossierRow>;
export const StatisticsDossiersResult = z.object({
  total: z.number().int(),
  items: z.array(StatisticsDossierRow),
  nextCursor: z.string().nullable(),
});

/** kpi.jobs: the indicator set (Quyết định 766/QĐ-TTg) of a period and agency, for a report or a scorecard. */
export const IndicatorSetJob = FigureRequest.extend({ compare: z.boolean().default(false) });

/**
 * kpi.jobs: the reform plan of a period and agency (its sub-agencies included), for section I of
 * the reform report: the tasks of the plan's year (the year the period ends in) as of the end of
 * the period's last day, and the registers' entries dated inside the period.
 */
export const PlanCountsJob = FigureRequest.pick({
  period: true,
  from: true,
  to: true,
  basis: true,
  agencyCode: true,
  includeSubAgencies: true,
});
const planCount = z.number().int().nonnegative();
export const PlanTaskCounts = z.object({
  total: planCount,
  done: planCount,
  /** Of the done: completed after their (working) due date. */
  doneLate: planCount,
  inProgress: planCount,
  overdue: planCount,
});
export const PlanCountsResult = z.object({
  period: PeriodOut,
  agencies: AgenciesOut,
  /** The plan's year. */
  year: z.number().int(),
  /** The day the tasks are judged at the end of (the period's last day). */
  on: isoDate,
  tasks: PlanTaskCounts,
  own: PlanTaskCounts,
  province: PlanTaskCounts,
  registers: z.object({
    documents: planCount,
    inspections: planCount,
    /** Findings of the inspections. */
    findings: planCount,
    communication: planCount,
  }),
});
export type PlanCountsResult = z.infer<typeof PlanCountsResult>;

/**
 * kpi.jobs: an agency's scorecard for a (calendar) period within one year, for a report: each
 * target of the year with the actual value over the period, met or not, the gap and the monthly
 * trend; and the result of each reform-index framework of the year (or the one named) as of the
 * period's last day, its tree flattened with the manual scores' evidence.
 */
export const ScorecardJob = z.object({
  period: z.string().max(20),
  agencyCode: z.string(),
  framework: z.string().max(50).optional(),
});
const ScorecardMonth = z.object({
  month: z.string(),
  actual: z.number().nullable(),
  met: z.boolean().nullable(),
});
export const ScorecardLine = z.object({
  indicator: z.string(),
  name: z.string(),
  unit: z.string(),
  comparator: z.enum(['at_least', 'at_most', 'equal']),
  target: z.number(),
  actual: z.number().nullable(),
  met: z.boolean().nullable(),
  gap: z.number().nullable(),
  trend: z.array(ScorecardMonth),
});
const ManualScoreOut = z.object({
  points: z.number(),
  comment: z.string().nullable(),
  evidence: z.array(
    z.object({
      documentNumber: z.string().optional(),
      link: z.string().optional(),
      attachmentName: z.string().optional(),
    }),
  ),
  assessor: z.string(),
  assessorName: z.string().nullable(),
});
export const FrameworkResultRow = z.object({
  code: z.string(),
  name: z.string(),
  /** 0: an area, 1: its criteria, 2: their sub-criteria… */
  depth: z.number().int().nonnegative(),
  maxPoints: z.number(),
  points: z.number().nullable(),
  source: z.enum(['computed', 'appraisal', 'self']).nullable(),
  /** A computed criterion's indicator value (percent). */
  value: z.number().nullable(),
  selfAssessment: ManualScoreOut.nullable(),
  appraisal: ManualScoreOut.nullable(),
});
export const ScorecardResult = z.object({
  period: PeriodOut,
  year: z.number().int(),
  agencyCode: z.string(),
  agencies: z.array(z.string()),
  summary: z.object({
    targets: planCount,
    met: planCount,
    notMet: planCount,
    noData: planCount,
  }),
  lines: z.array(ScorecardLine),
  frameworks: z.array(
    z.object({
      code: z.string(),
      year: z.number().int(),
      name: z.string(),
      version: z.number().int(),
      total: z.number(),
      max: z.number(),
      complete: z.boolean(),
      frozen: z.boolean(),
      publishedAt: z.string().nullable(),
      rows: z.array(FrameworkResultRow),
    }),
  ),
});
export type ScorecardResult = z.infer<typeof ScorecardResult>;

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
  'kpi.statistics-dossiers': {
    queue: queues.kpiJobs,
    data: StatisticsDossiersJob,
    result: StatisticsDossiersResult,
  },
  'kpi.indicator-set': { queue: queues.kpiJobs, data: IndicatorSetJob, result: IndicatorSet },
  'kpi.plan-counts': { queue: queues.kpiJobs, data: PlanCountsJob, result: PlanCountsResult },
  'kpi.scorecard': { queue: queues.kpiJobs, data: ScorecardJob, result: ScorecardResult },
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
