import type { JobProducer } from '@tthc/bus';
import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { Redis } from 'ioredis';
import type { Config } from './config';
import type { KpiDb } from './db/schema';

export interface AppDeps {
  config: Pick<Config, 'INTERNAL_AUTH_SECRET'>;
  logger: Logger;
  db: Db<KpiDb>;
  redis: Redis;
  /** Key prefix of the queues (the API adds reconciliation jobs). */
  queuePrefix: string;
  /** The one source of time (tests set it). */
  clock: () => Date;
}

/** What routes use beyond the deps: the producer of kpi's own jobs. */
export interface RouteDeps extends AppDeps {
  jobs: JobProducer;
}
