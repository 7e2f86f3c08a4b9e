import { JobRequester, OutboxRelay, type BusConnection } from '@tthc/bus';
import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import { FlowProducer } from 'bullmq';
import type { ReportsDb } from '../db/schema';
import { startRenderWorker } from './render.worker';
import { startReportRequestsWorker } from './report-requests.worker';
import { startScheduleWorker } from './schedule.worker';

export interface Workers {
  relay: OutboxRelay;
  close: () => Promise<void>;
}

export function startWorkers(deps: {
  db: Db<ReportsDb>;
  /** The outbox relay's own pool (openResources); the shared one when absent (tests). */
  outboxDb?: Db<ReportsDb>;
  bus: BusConnection;
  logger: Logger;
  clock: () => Date;
  /** First retry delay of a child job (tests shorten it). */
  childBackoffMs?: number;
  /** When the schedules' tick runs (cron, Asia/Ho_Chi_Minh); null or absent: never by itself. */
  scheduleCron?: string | null;
}): Workers {
  const relay = new OutboxRelay({ ...deps, db: deps.outboxDb ?? deps.db, name: 'reports' });
  relay.start();
  const flows = new FlowProducer({ connection: deps.bus.redis, prefix: deps.bus.prefix });
  const requests = startReportRequestsWorker({ ...deps, flows });
  const requester = new JobRequester(deps.bus);
  const render = startRenderWorker({ ...deps, requester, onEventsWritten: () => relay.nudge() });
  const schedules = startScheduleWorker({
    ...deps,
    cron: deps.scheduleCron ?? null,
    onEventsWritten: () => relay.nudge(),
  });
  return {
    relay,
    close: async () => {
      await Promise.all([requests.close(), render.close(), schedules.close()]);
      await relay.stop();
      await flows.close();
      await requester.close();
    },
  };
}
