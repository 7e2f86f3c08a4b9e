import { sql, type Kysely } from 'kysely';

/** A department's own DOCX template, per agency ('*': the province's, for agencies without one). */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table report_templates (
    scope text primary key,
    content bytea not null,
    sha256 text not null,
    placeholders text[] not null,
    uploaded_by text not null,
    uploaded_at timestamptz not null
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table report_templates`.execute(db);
}
