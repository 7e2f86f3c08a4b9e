import { sql, type Kysely } from 'kysely';

/**
 * Report generation (issue 15): progress (queued, collecting, rendering, done, failed), the
 * period and versions of a report, the frozen inputs and document, issue; and the rendered files
 * with their SHA-256.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table reports drop constraint if exists reports_status_check`.execute(db);
  await sql`update reports set status = 'collecting' where status = 'running'`.execute(db);
  await sql`alter table reports add constraint reports_status_check
    check (status in ('queued','collecting','rendering','done','failed'))`.execute(db);
  await sql`alter table reports
    add column series_id uuid,
    add column version integer not null default 1,
    add column supersedes uuid references reports(id),
    add column change_note text,
    add column changes jsonb,
    add column period_label text,
    add column period_from date,
    add column period_to date,
    add column formats text[] not null default '{json,csv,xlsx,docx,pdf}',
    add column inputs jsonb,
    add column document jsonb,
    add column data_cut_at timestamptz,
    add column issued_at timestamptz,
    add column issued_by text`.execute(db);
  await sql`update reports set series_id = id, data_cut_at = created_at`.execute(db);
  await sql`alter table reports alter column series_id set not null`.execute(db);
  await sql`create unique index reports_series_version_idx on reports (series_id, version)`.execute(db);
  await sql`create index reports_kind_period_idx on reports (kind, period_label, created_at desc, id desc)`.execute(
    db,
  );
  await sql`create table report_files (
    report_id uuid not null references reports(id),
    format text not null,
    content_type text not null,
    file_name text not null,
    sha256 text not null,
    size integer not null,
    content bytea not null,
    created_at timestamptz not null default now(),
    primary key (report_id, format)
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table report_files`.execute(db);
  await sql`drop index reports_kind_period_idx`.execute(db);
  await sql`drop index reports_series_version_idx`.execute(db);
  await sql`alter table reports drop constraint reports_status_check`.execute(db);
  await sql`update reports set status = 'running' where status in ('collecting','rendering')`.execute(db);
  await sql`alter table reports add constraint reports_status_check
    check (status in ('queued','running','done','failed'))`.execute(db);
  for (const c of [
    'series_id',
    'version',
    'supersedes',
    'change_note',
    'changes',
    'period_label',
    'period_from',
    'period_to',
    'formats',
    'inputs',
    'document',
    'data_cut_at',
    'issued_at',
    'issued_by',
  ])
    await sql`alter table reports drop column ${sql.ref(c)}`.execute(db);
}
