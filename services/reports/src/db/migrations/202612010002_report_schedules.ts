import { sql, type Kysely } from 'kysely';

/** Schedules: a kind of report made for an agency each quarter, half-year or year once the period closes. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table report_schedules (
    id uuid primary key,
    agency_code text,
    kind text not null,
    cadence text not null check (cadence in ('quarter','half','year')),
    basis text not null check (basis in ('calendar','statutory')),
    formats text[] not null,
    enabled boolean not null default true,
    created_by text not null,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`alter table reports add column schedule_id uuid references report_schedules(id)`.execute(db);
  // One report per schedule and period, whichever replica's tick gets there first.
  await sql`create unique index reports_schedule_period_idx on reports (schedule_id, period_label)
    where schedule_id is not null and version = 1`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index reports_schedule_period_idx`.execute(db);
  await sql`alter table reports drop column schedule_id`.execute(db);
  await sql`drop table report_schedules`.execute(db);
}
