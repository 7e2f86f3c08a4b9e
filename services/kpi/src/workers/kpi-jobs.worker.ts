import { JobRefused, startJobWorker, type BusConnection } from '@tthc/bus';
import { queues } from '@tthc/contracts';
import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { Worker } from 'bullmq';
import { registerCounts, taskDates } from '../db/plan.repository';
import { receivedBetween } from '../db/received.repository';
import type { KpiDb } from '../db/schema';
import { BadInput } from '../domain/bad-input';
import { summariseReceived } from '../domain/counts';
import { resolveFigureRequest } from '../figures/figure-request';
import { statisticsTable } from '../figures/statistics';
import { statisticsDossiers } from '../figures/statistics-drill';
import { kpiCalendar } from '../domain/working-calendar';
import { indicatorSetCompared } from '../indicators/indicator-set';
import { planCounts } from '../plan/plan-counts';
import { scorecardForReport } from '../targets/scorecard-job';
import { reconcile, reconcileNightly, repair, type ReconciliationDeps } from '../reconciliation/reconcile';

/** Bad input in a job can never succeed: it fails at once, naming the field, without retries. */
async function refusingBadInput<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof BadInput) throw new JobRefused(err.message);
    throw err;
  }
}

/** Answers the figures other services ask for in their flows, and runs reconciliations. */
export function startKpiJobsWorker(deps: {
  db: Db<KpiDb>;
  bus: BusConnection;
  logger: Logger;
  reconciliation: ReconciliationDeps;
}): Worker {
  return startJobWorker({
    queue: queues.kpiJobs,
    bus: deps.bus,
    logger: deps.logger,
    handlers: {
      'kpi.count-received': async (data) => summariseReceived(data, await receivedBetween(deps.db, data)),
      'kpi.statistics-table': (data) =>
        refusingBadInput(async () => {
          const req = await resolveFigureRequest(deps.db, null, data);
          return {
            ...(await statisticsTable(deps.db, {
              ...req,
              byProcedure: data.byProcedure,
              compare: data.compare,
            })),
            agencies: req.agencies,
          };
        }),
      'kpi.statistics-dossiers': (data) =>
        refusingBadInput(async () => {
          const req = await resolveFigureRequest(deps.db, null, data);
          return statisticsDossiers(deps.db, { ...req, cursor: data.cursor, limit: data.limit });
        }),
      'kpi.indicator-set': (data) =>
        refusingBadInput(async () => {
          const req = await resolveFigureRequest(deps.db, null, data);
          return {
            ...(await indicatorSetCompared(deps.db, req.period, req.scope, data.compare)),
            agencies: req.agencies,
          };
        }),
      'kpi.plan-counts': (data) =>
        refusingBadInput(async () => {
          const { period, agencies } = await resolveFigureRequest(deps.db, null, data);
          const codes = agencies.agencyCodes;
          const year = Number(period.to.slice(0, 4));
          const tasks = await taskDates(deps.db, codes, year);
          const cal = kpiCalendar();
          const count = (origin?: 'own' | 'province') =>
            planCounts(
              origin ? tasks.filter((t) => t.origin === origin) : tasks,
              period.to,
              cal,
              'end_of_day',
            );
          return {
            period,
            agencies,
            year,
            on: period.to,
            tasks: count(),
            own: count('own'),
            province: count('province'),
            registers: await registerCounts(deps.db, codes, period.from, period.to),
          };
        }),
      'kpi.scorecard': (data) => refusingBadInput(() => scorecardForReport(deps.db, data)),
      'kpi.reconcile': (data) => reconcile(deps.reconciliation, data.runId),
      'kpi.reconcile-nightly': (data) => reconcileNightly(deps.reconciliation, data.days),
      'kpi.repair': (data) => repair(deps.reconciliation, data.runId),
    },
  });
}
