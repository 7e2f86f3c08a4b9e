import { sql, type Kysely } from 'kysely';

/**
 * Indexes that match the desk's lists, filter and sort (db/dossier.repository.ts, listDossiers):
 * a page reads about a page of rows, the next keyset page too.
 *
 * - By receipt, newest first, per deciding agency, per receiving agency and per procedure: the
 *   sort key is `coalesce(received_at, submitted_at)` (a submission not yet accepted sorts by its
 *   filing), status carried in the index.
 * - By due date, for the dossiers whose clock runs (the only ones overdue or due soon,
 *   domain/dossier-clock.ts RUNNING_STATUSES): province-wide and per agency. The reminder scan
 *   reads its due-date window from the province-wide one.
 * - The steps an agency holds of dossiers it does not own (inter-agency work): flagged on the
 *   step when it is written, so that a list by agency reads those few, not every paper hand-over
 *   step of its own desk.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index dossiers_agency_key_idx on dossiers
    (agency_code, (coalesce(received_at, submitted_at)) desc, id desc) include (status)`.execute(db);
  await sql`create index dossiers_receiving_key_idx on dossiers
    (receiving_agency_code, (coalesce(received_at, submitted_at)) desc, id desc) include (status)`.execute(
    db,
  );
  await sql`create index dossiers_procedure_key_idx on dossiers
    (procedure_code, (coalesce(received_at, submitted_at)) desc, id desc) include (status)`.execute(db);
  await sql`create index dossiers_key_idx on dossiers
    ((coalesce(received_at, submitted_at)) desc, id desc) include (status)`.execute(db);
  await sql`create index dossiers_running_due_idx on dossiers (due_at, id)
    where status in ('received', 'processing') and due_at is not null`.execute(db);
  await sql`create index dossiers_agency_running_due_idx on dossiers (agency_code, due_at, id)
    where status in ('received', 'processing') and due_at is not null`.execute(db);
  await sql`create index dossiers_receiving_running_due_idx on dossiers (receiving_agency_code, due_at, id)
    where status in ('received', 'processing') and due_at is not null`.execute(db);
  // Superseded: the agency index without the sort key, and the status index the lists no longer use.
  await sql`drop index if exists dossiers_agency_received_idx`.execute(db);

  await sql`alter table dossier_steps add column foreign_agency boolean`.execute(db);
  await sql`
    update dossier_steps s set foreign_agency = not exists (
      select 1 from dossiers d where d.id = s.dossier_id and s.agency_code in (d.agency_code, d.receiving_agency_code))`.execute(
    db,
  );
  await sql`
    create function dossier_step_foreign_agency() returns trigger language plpgsql as $$
    begin
      if new.foreign_agency is null then
        new.foreign_agency := not exists (
          select 1 from dossiers d
          where d.id = new.dossier_id and new.agency_code in (d.agency_code, d.receiving_agency_code));
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger dossier_steps_foreign_agency before insert on dossier_steps
    for each row execute function dossier_step_foreign_agency()`.execute(db);
  await sql`alter table dossier_steps alter column foreign_agency set not null`.execute(db);
  await sql`create index dossier_steps_foreign_idx on dossier_steps (agency_code, dossier_id) where foreign_agency`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index dossier_steps_foreign_idx`.execute(db);
  await sql`drop trigger dossier_steps_foreign_agency on dossier_steps`.execute(db);
  await sql`drop function dossier_step_foreign_agency()`.execute(db);
  await sql`alter table dossier_steps drop column foreign_agency`.execute(db);
  await sql`create index dossiers_agency_received_idx on dossiers (agency_code, received_at)`.execute(db);
  for (const i of [
    'dossiers_agency_key_idx',
    'dossiers_receiving_key_idx',
    'dossiers_procedure_key_idx',
    'dossiers_key_idx',
    'dossiers_running_due_idx',
    'dossiers_agency_running_due_idx',
    'dossiers_receiving_running_due_idx',
  ])
    await sql.raw(`drop index ${i}`).execute(db);
}
