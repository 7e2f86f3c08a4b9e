import { jobRetention, startConsumer, type BusConnection } from '@tthc/bus';
import { jobs, queues, type JobData } from '@tthc/contracts';
import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { FlowProducer, Worker } from 'bullmq';
import { setReportStatus } from '../db/report.repository';
import type { ReportsDb } from '../db/schema';
import { childJobId, prepare } from './report-plan';

/** Attempts of a child before the report fails (the first try included). */
export const CHILD_ATTEMPTS = 3;

/**
 * Starts the flow of a requested report: a parent render job in reports whose children (as the
 * kind declares them) run in the services that own the figures. Job ids derive from the report
 * id, so a redelivered request does not start a second flow.
 */
export function startReportRequestsWorker(deps: {
  db: Db<ReportsDb>;
  bus: BusConnection;
  logger: Logger;
  flows: FlowProducer;
  childBackoffMs?: number;
}): Worker {
  return startConsumer({
    queue: queues.reportsEvents,
    db: deps.db,
    bus: deps.bus,
    logger: deps.logger,
    handlers: {
      'report.requested': async (event, tx) => {
        const { reportId, kind: name } = event.payload;
        const plan = prepare(name, event.payload.params);
        const parent: JobData<'reports.render'> = { reportId };
        await deps.flows.add({
          name: 'reports.render',
          queueName: queues.reportsRender,
          data: parent,
          opts: { jobId: reportId, attempts: 2, backoff: { type: 'fixed', delay: 1000 }, ...jobRetention },
          children: plan.children.map((c) => ({
            name: c.name,
            queueName: jobs[c.name].queue,
            data: c.data,
            opts: {
              jobId: childJobId(reportId, c.key),
              attempts: CHILD_ATTEMPTS,
              backoff: { type: 'exponential', delay: deps.childBackoffMs ?? 500 },
              // A child failed for good still wakes the parent, which records why on the report.
              ignoreDependencyOnFailure: true,
              ...jobRetention,
            },
          })),
        });
        await setReportStatus(tx, reportId, 'collecting');
      },
    },
  });
}
