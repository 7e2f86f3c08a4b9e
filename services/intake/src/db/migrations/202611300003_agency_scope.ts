import { sql, type Kysely } from 'kysely';

/**
 * Inter-agency steps as the procedure defines them: how each step ended (handed over, completed,
 * returned for correction, closed with the dossier), by whom, and indexes so the lists find the
 * dossiers whose open steps an agency or an officer holds. The personal-data access log also
 * records reads of a feedback sender's contact details.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table dossier_steps
      add column outcome text check (outcome in ('handed_over','completed','returned','closed')),
      add column completed_by text,
      add column note text`.execute(db);
  await sql`update dossier_steps set outcome = 'closed' where completed_at is not null`.execute(db);
  await sql`create index dossier_steps_agency_idx on dossier_steps (agency_code, dossier_id)`.execute(db);
  await sql`create index dossier_steps_open_officer_idx on dossier_steps (officer, dossier_id) where completed_at is null`.execute(
    db,
  );
  await sql`create index dossier_steps_open_unit_idx on dossier_steps (unit, dossier_id) where completed_at is null`.execute(
    db,
  );

  await sql`alter table personal_data_access alter column dossier_id drop not null`.execute(db);
  await sql`alter table personal_data_access add column feedback_id uuid references feedback(id)`.execute(db);
  await sql`
    alter table personal_data_access add constraint personal_data_access_subject_check
      check (dossier_id is not null or feedback_id is not null)`.execute(db);
  await sql`create index personal_data_access_feedback_idx on personal_data_access (feedback_id, at) where feedback_id is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index personal_data_access_feedback_idx`.execute(db);
  await sql`alter table personal_data_access drop constraint personal_data_access_subject_check`.execute(db);
  await sql`alter table personal_data_access drop column feedback_id`.execute(db);
  await sql`drop index dossier_steps_open_unit_idx`.execute(db);
  await sql`drop index dossier_steps_open_officer_idx`.execute(db);
  await sql`drop index dossier_steps_agency_idx`.execute(db);
  await sql`alter table dossier_steps drop column outcome, drop column completed_by, drop column note`.execute(
    db,
  );
}
