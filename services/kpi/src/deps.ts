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
}
