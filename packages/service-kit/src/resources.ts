import { createDb, migrateSchema, type Db, type Migrations } from '@tthc/db';
import type { Redis } from 'ioredis';
import type { BaseConfig } from './config';
import { createLogger, type Logger } from './logger';
import { redisFromUrl } from './redis-url';

export interface Resources<DB> {
  logger: Logger;
  db: Db<DB>;
  /**
   * The outbox relay's own pool (two connections, opened when first used): its claims and marks
   * never wait for a connection behind the requests and consumers of a burst, which would hold
   * every event of the burst in the outbox.
   */
  outboxDb: Db<DB>;
  /** Shared by BullMQ workers and queues (maxRetriesPerRequest null, as BullMQ requires). */
  redis: Redis;
  bus: { redis: Redis; prefix: string };
}

/** Opens what a service process holds: logger, Postgres pool on its schema (migrated), Redis. */
export async function openResources<DB>(options: {
  name: string;
  config: Pick<BaseConfig, 'LOG_LEVEL' | 'DATABASE_URL' | 'REDIS_URL' | 'QUEUE_PREFIX' | 'MIGRATE_ON_START'>;
  schema: string;
  migrations: Migrations;
  /** Per-connection settings of the pool (see DbOptions). */
  db?: { jit?: boolean };
}): Promise<Resources<DB>> {
  const { config } = options;
  const logger = createLogger(options.name, config.LOG_LEVEL);
  const db = createDb<DB>({
    connectionString: config.DATABASE_URL,
    schema: options.schema,
    applicationName: options.name,
    ...(options.db?.jit === undefined ? {} : { jit: options.db.jit }),
  });
  const outboxDb = createDb<DB>({
    connectionString: config.DATABASE_URL,
    schema: options.schema,
    applicationName: `${options.name}-relay`,
    maxConnections: 2,
  });
  if (config.MIGRATE_ON_START) {
    const applied = await migrateSchema(db, options.schema, options.migrations);
    if (applied.length > 0) logger.info({ applied }, 'migrated');
  }
  const redis = redisFromUrl(config.REDIS_URL, { maxRetriesPerRequest: null });
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  return { logger, db, outboxDb, redis, bus: { redis, prefix: config.QUEUE_PREFIX } };
}

/** Closers in the order a shutdown must run them, after HTTP has drained. */
export function resourceClosers<DB>(r: Resources<DB>): { name: string; close: () => Promise<unknown> }[] {
  return [
    { name: 'postgres', close: () => r.db.destroy() },
    { name: 'postgres (outbox relay)', close: () => r.outboxDb.destroy() },
    { name: 'redis', close: () => r.redis.quit() },
  ];
}
