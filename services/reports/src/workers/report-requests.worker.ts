import { jobRetention, startConsumer, type BusConnection } from '@tthc/bus';
import { jobs, queues, type JobData } from '@tthc/contracts';
import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { FlowProducer, Worker } from 'bullmq';
import { setReportStatus } from '../db/report.repository';
import type { ReportsDb } from '../db/schema';
import { ReceivedSummaryParams } from '../domain/report-kinds';

/**
 * Starts the flow of a requested report: a parent render job in reports whose children run in
 * the services that own the figures. Job ids derive from the report id, so a redelivered
 * request does not start a second flow.
 */
export function startReportRequestsWorker(deps: {
  db: Db<ReportsDb>;
  bus: BusConnection;
  logger: Logger;
  flows: FlowProducer;
}): Worker {
  return startConsumer({
    queue: queues.reportsEvents,
    db: deps.db,
    bus: deps.bus,
    logger: deps.logger,
    handlers: {
      'report.requested': async (event, tx) => {
        const { reportId, kind } = event.payload;
        if (kind !== 'received-summary') throw new Error(`unknown report kind ${kind}`);
        const params = ReceivedSummaryParams.parse(event.payload.params);
        const child: JobData<'kpi.count-received'> = jobs['kpi.count-received'].data.parse(params);
        const parent: JobData<'reports.render'> = { reportId };
        await deps.flows.add({
          name: 'reports.render',
          queueName: queues.reportsRender,
          data: parent,
          opts: { jobId: reportId, ...jobRetention },
          children: [
            {
              name: 'kpi.count-received',
              queueName: queues.kpiJobs,
              data: child,
              opts: {
                jobId: `${reportId}-count-received`,
                attempts: 3,
                backoff: { type: 'exponential', delay: 500 },
                // A failed child still wakes the parent, which records the failure on the report.
                ignoreDependencyOnFailure: true,
                ...jobRetention,
              },
            },
          ],
        });
        await setReportStatus(tx, reportId, 'running');
      },
    },
  });
}
