import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { Redis } from 'ioredis';
import type { Config } from './config';
import type { ReportsDb } from './db/schema';

export interface AppDeps {
  config: Pick<Config, 'INTERNAL_AUTH_SECRET'>;
  logger: Logger;
  db: Db<ReportsDb>;
  redis: Redis;
  /** The one source of time (tests set it). */
  clock: () => Date;
  /** Called after a commit that wrote outbox events, so the relay sends them now. */
  onEventsWritten: () => void;
}
