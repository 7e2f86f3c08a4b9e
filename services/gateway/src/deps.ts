import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { Redis } from 'ioredis';
import type { Config } from './config';
import type { GatewayDb } from './db/schema';

export interface AppDeps {
  config: Config;
  logger: Logger;
  db: Db<GatewayDb>;
  redis: Redis;
  clock: () => Date;
}
