import { startJobWorker, type BusConnection } from '@tthc/bus';
import { jobs, queues } from '@tthc/contracts';
import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import { UnrecoverableError, type Worker } from 'bullmq';
import { findReport, setReportStatus } from '../db/report.repository';
import type { ReportsDb } from '../db/schema';
import { ReceivedSummaryParams, renderReceivedSummary } from '../domain/report-kinds';

/** The parent of a report flow: renders the artifact from its children's figures and stores it. */
export function startRenderWorker(deps: {
  db: Db<ReportsDb>;
  bus: BusConnection;
  logger: Logger;
  clock: () => Date;
}): Worker {
  const worker = startJobWorker({
    queue: queues.reportsRender,
    bus: deps.bus,
    logger: deps.logger,
    concurrency: 2,
    handlers: {
      'reports.render': async ({ reportId }, job) => {
        const report = await findReport(deps.db, reportId);
        if (!report) throw new Error(`report ${reportId} does not exist`);
        const failures = await job.getIgnoredChildrenFailures();
        const failed = Object.values(failures);
        if (failed.length > 0) {
          await setReportStatus(deps.db, reportId, 'failed', {
            error: `figures unavailable: ${failed.join('; ')}`,
          });
          return { reportId };
        }
        const values = Object.values(await job.getChildrenValues());
        const counts = jobs['kpi.count-received'].result.parse(values[0]);
        const params = ReceivedSummaryParams.parse(report.params);
        await setReportStatus(deps.db, reportId, 'done', {
          artifact: renderReceivedSummary(params, counts, deps.clock()),
        });
        return { reportId };
      },
    },
  });
  // A render that failed for good (out of attempts, or refused) is recorded on the report.
  worker.on('failed', (job, err) => {
    const attempts = job?.opts.attempts ?? 1;
    if (job && (job.attemptsMade >= attempts || err instanceof UnrecoverableError)) {
      void setReportStatus(deps.db, String(job.id), 'failed', { error: err.message }).catch((e: unknown) =>
        deps.logger.error({ err: e }, 'could not record the failure of a report'),
      );
    }
  });
  return worker;
}
