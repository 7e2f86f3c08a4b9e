import type { BusConnection } from '@tthc/bus';
import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { KpiDb } from '../db/schema';
import { startKpiEventsWorker } from './kpi-events.worker';
import { startKpiJobsWorker } from './kpi-jobs.worker';

export interface Workers {
  close: () => Promise<void>;
}

export function startWorkers(deps: { db: Db<KpiDb>; bus: BusConnection; logger: Logger }): Workers {
  const events = startKpiEventsWorker(deps);
  const jobsWorker = startKpiJobsWorker(deps);
  return {
    close: async () => {
      await Promise.all([events.close(), jobsWorker.close()]);
    },
  };
}
