import { sql, type Kysely } from 'kysely';

/**
 * The open steps an agency holds of dossiers it does not own, for the list filtered by agency
 * (db/dossier.repository.ts, listDossiers: `agencyCode` counts the steps it holds now). Without
 * it the ids came from a bitmap AND of every open step of the province (dossier_steps_open_unit_idx)
 * with the agency's foreign steps: ~33,000 index entries read for an empty answer over 5,000,000
 * dossiers, 9–70 ms of a page that otherwise reads a few dozen buffers.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index dossier_steps_foreign_open_idx on dossier_steps (agency_code, dossier_id)
    where foreign_agency and completed_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index dossier_steps_foreign_open_idx`.execute(db);
}
