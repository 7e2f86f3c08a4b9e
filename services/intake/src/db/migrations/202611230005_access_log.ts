import { sql, type Kysely } from 'kysely';

/** Who read a dossier's personal data, and when (append-only). */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table personal_data_access (
      id bigserial primary key, dossier_id uuid not null references dossiers(id), actor text not null,
      actor_role text, actor_agency text, purpose text not null, at timestamptz not null default now())`.execute(
    db,
  );
  await sql`create index personal_data_access_dossier_idx on personal_data_access (dossier_id, at)`.execute(
    db,
  );
  await sql`
    create trigger personal_data_access_append_only before update or delete on personal_data_access
    for each row execute function refuse_change()`.execute(db);
  // Admin changes of the calendar and rule sets are recorded like dossier changes.
  await sql`
    create table admin_audit (
      id bigserial primary key, actor text not null, action text not null, target text not null,
      detail jsonb not null default '{}'::jsonb, at timestamptz not null default now())`.execute(db);
  await sql`
    create trigger admin_audit_append_only before update or delete on admin_audit
    for each row execute function refuse_change()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table admin_audit`.execute(db);
  await sql`drop table personal_data_access`.execute(db);
}
