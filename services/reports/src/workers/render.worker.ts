import { jobRetention, type BusConnection } from '@tthc/bus';
import { jobs, queues } from '@tthc/contracts';
import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import { Worker } from 'bullmq';
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
  const worker = new Worker(
    queues.reportsRender,
    async (job) => {
      const { reportId } = jobs['reports.render'].data.parse(job.data);
      const report = await findReport(deps.db, reportId);
      if (!report) throw new Error(`report ${reportId} does not exist`);
      const failures = await job.getIgnoredChildrenFailures();
      const failed = Object.values(failures);
      if (failed.length > 0) {
        await setReportStatus(deps.db, reportId, 'failed', { error: `figures unavailable: ${failed.join('; ')}` });
        return { reportId };
      }
      const values = Object.values(await job.getChildrenValues());
      const counts = jobs['kpi.count-received'].result.parse(values[0]);
      const params = ReceivedSummaryParams.parse(report.params);
      await setReportStatus(deps.db, reportId, 'done', { artifact: renderReceivedSummary(params, counts, deps.clock()) });
      return { reportId };
    },
    { connection: deps.bus.redis, prefix: deps.bus.prefix, concurrency: 2, ...jobRetention },
  );
  worker.on('failed', (job, err) => {
    deps.logger.error({ jobId: job?.id, err }, 'report render failed');
    const attempts = job?.opts.attempts ?? 1;
    if (job && job.attemptsMade >= attempts) {
      void setReportStatus(deps.db, String(job.id), 'failed', { error: err.message }).catch((e: unknown) =>
        deps.logger.error({ err: e }, 'could not record the failure of a report'),
      );
    }
  });
  worker.on('error', (err) => deps.logger.error({ err }, 'render worker error'));
  return worker;
}
