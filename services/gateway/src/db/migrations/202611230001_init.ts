import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table api_keys (
      id uuid primary key, prefix text not null unique, hash text not null, name text not null, owner text not null,
      roles text[] not null, agency_code text, expires_at timestamptz, revoked_at timestamptz, last_used_at timestamptz,
      created_by text not null, created_at timestamptz not null default now())`.execute(db);
  await sql`
    create table admin_audit (
      id bigserial primary key, actor text not null, action text not null, target text not null,
      detail jsonb not null default '{}'::jsonb, at timestamptz not null default now())`.execute(db);
  await sql`
    create function admin_audit_append_only() returns trigger language plpgsql as $$
    begin raise exception 'admin_audit is append-only'; end $$`.execute(db);
  await sql`
    create trigger admin_audit_no_change before update or delete on admin_audit
    for each row execute function admin_audit_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table admin_audit`.execute(db);
  await sql`drop function admin_audit_append_only()`.execute(db);
  await sql`drop table api_keys`.execute(db);
}
