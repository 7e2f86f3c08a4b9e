import { tracing } from './tracing';
import { createLogger, redisFromUrl, runService } from '@tthc/service-kit';
import { createDb, migrateSchema } from '@tthc/db';
import { buildApp } from './app';
import { bootstrapAdminKey } from './auth/bootstrap';
import { readConfig } from './config';
import { migrations, SCHEMA } from './db/migrations';
import type { GatewayDb } from './db/schema';

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const db = createDb<GatewayDb>({
    connectionString: config.DATABASE_URL,
    schema: SCHEMA,
    applicationName: 'gateway',
  });
  if (config.MIGRATE_ON_START) await migrateSchema(db, SCHEMA, migrations);
  if (config.BOOTSTRAP_ADMIN_API_KEY) await bootstrapAdminKey(db, config.BOOTSTRAP_ADMIN_API_KEY);
  const redis = redisFromUrl(config.REDIS_URL, { maxRetriesPerRequest: 2 });
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  const app = await buildApp({ config, logger, db, redis, clock: () => new Date() });
  await runService({
    app,
    host: config.HOST,
    port: config.PORT,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    closers: [
      { name: 'postgres', close: () => db.destroy() },
      { name: 'redis', close: () => redis.quit() },
      { name: 'tracing', close: () => tracing.shutdown() },
    ],
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
