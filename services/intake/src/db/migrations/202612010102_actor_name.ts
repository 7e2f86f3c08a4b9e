import { sql, type Kysely } from 'kysely';

/**
 * The person behind each trail entry (an officer's name), beside the channel (`actor`: the API
 * key or the token subject) they acted through. Null where no person was known.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table dossier_history add column actor_name text`.execute(db);
  await sql`alter table feedback_history add column actor_name text`.execute(db);
}
