import { sql, type Kysely } from 'kysely';

/** Reconciliation runs (issue 13): kpi's facts compared with intake's own counts, the drift found and its repair. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table reconciliation_runs (
      id uuid primary key,
      trigger text not null check (trigger in ('nightly', 'on_demand')),
      from_day date not null,
      to_day date not null,
      agency_codes text[],
      status text not null check (status in ('queued', 'running', 'done', 'failed')),
      requested_by text not null,
      created_at timestamptz not null default now(),
      finished_at timestamptz,
      cells integer,
      differing_cells integer,
      drift jsonb,
      error text,
      repair_status text check (repair_status in ('queued', 'running', 'done', 'failed')),
      repaired_at timestamptz,
      repair jsonb)`.execute(db);
  await sql`create index reconciliation_runs_created_idx on reconciliation_runs (created_at desc, id desc)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table reconciliation_runs`.execute(db);
}
