import { createDb, migrateSchema, type Migrations } from '@tthc/db';
import { baseConfigSchema, loadConfig } from './config';
import { createLogger } from './logger';

/**
 * The process a deployment runs before it rolls a service out (the Kubernetes Job, `node
 * services/<service>/dist/migrate.js`): applies the service's migrations to its schema and exits, 0
 * when the schema is current. It reads only DATABASE_URL and LOG_LEVEL; the services then start
 * with MIGRATE_ON_START=false.
 */
export async function migrateOnly(options: {
  name: string;
  schema: string;
  migrations: Migrations;
  env?: NodeJS.ProcessEnv;
}): Promise<string[]> {
  const config = loadConfig(baseConfigSchema.pick({ DATABASE_URL: true, LOG_LEVEL: true }), options.env);
  const logger = createLogger(`${options.name}-migrate`, config.LOG_LEVEL);
  const db = createDb({
    connectionString: config.DATABASE_URL,
    schema: options.schema,
    applicationName: `${options.name}-migrate`,
  });
  try {
    const applied = await migrateSchema(db, options.schema, options.migrations);
    logger.info({ schema: options.schema, applied }, applied.length ? 'migrated' : 'schema is current');
    return applied;
  } finally {
    await db.destroy();
  }
}

/** migrateOnly as a process's main: exit code 0 on success, 1 with the reason on stderr. */
export function runMigrateOnly(options: { name: string; schema: string; migrations: Migrations }): void {
  migrateOnly(options).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
