import { sql, type Kysely } from 'kysely';

/**
 * A portal submission gets a provisional reference; its dossier code (with the receipt date and
 * the day's serial) is issued when the desk accepts it. The reference still finds the dossier.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table dossiers add column reference text`.execute(db);
  await sql`create unique index dossiers_reference_idx on dossiers (reference) where reference is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table dossiers drop column reference`.execute(db);
}
