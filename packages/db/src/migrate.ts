import { Migrator, sql, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import { assertSchemaName } from './database';

export type Migrations = Record<string, Migration>;

/**
 * Migrates one service's schema. Migrations are named `YYYYMMDDHHMM_description` and kept in code
 * (an index module per service), so the built service carries them. Kysely's migrator takes a
 * lock, so replicas that start together migrate once.
 */
export async function migrateSchema(
  db: Kysely<any>,
  schema: string,
  migrations: Migrations,
): Promise<string[]> {
  assertSchemaName(schema);
  await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  const migrator = new Migrator({
    db: db.withSchema(schema),
    migrationTableSchema: schema,
    provider: { getMigrations: async () => migrations },
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(
      `migration of schema ${schema} failed${failed ? ` at ${failed.migrationName}` : ''}: ${cause}`,
      {
        cause: result.error,
      },
    );
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
