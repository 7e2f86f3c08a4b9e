import { sql, type Kysely } from 'kysely';

/**
 * What the indicators need to know about a receipt, kept with the intake's copy of each
 * procedure version (authority, legacy level, paper result, online payment) and with the
 * dossier (population data used). Null: not known (versions copied before these were sent).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table procedure_versions
      add column authority_level text,
      add column legacy_level smallint,
      add column result_is_paper boolean,
      add column online_payment boolean`.execute(db);
  await sql`alter table dossiers add column population_data_used boolean not null default false`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table dossiers drop column population_data_used`.execute(db);
  await sql`
    alter table procedure_versions
      drop column authority_level, drop column legacy_level, drop column result_is_paper, drop column online_payment`.execute(
    db,
  );
}
