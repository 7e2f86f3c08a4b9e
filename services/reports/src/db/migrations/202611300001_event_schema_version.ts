import { addOutboxSchemaVersion } from '@tthc/bus';
import { sql, type Kysely } from 'kysely';

/** Outbox rows carry the version of their payload's contract (rows written before were version 1). */
export async function up(db: Kysely<any>): Promise<void> {
  await addOutboxSchemaVersion(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table outbox drop column if exists schema_version`.execute(db);
}
