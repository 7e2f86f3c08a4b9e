import { sql, type Kysely } from 'kysely';

/**
 * The yearly reform plan of an agency (its own tasks and those the province assigns) and the
 * registers the reform report's first section counts: documents issued, inspections, communication.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table plan_tasks (
      id uuid primary key default gen_random_uuid(),
      agency_code text not null,
      year integer not null check (year between 2000 and 2100),
      origin text not null check (origin in ('own', 'province')),
      assigned_by text,
      title text not null,
      owner_unit text not null,
      due_on date not null,
      status text not null check (status in ('not_started', 'in_progress', 'done')),
      completed_on date,
      documents jsonb not null default '[]',
      version integer not null default 1,
      updated_by text not null,
      updated_at timestamptz not null default now(),
      check ((status = 'done') = (completed_on is not null)))`.execute(db);
  await sql`create index plan_tasks_agency_year on plan_tasks (agency_code, year, due_on, id)`.execute(db);
  await sql`
    create table reform_registers (
      id uuid primary key default gen_random_uuid(),
      agency_code text not null,
      kind text not null check (kind in ('document', 'inspection', 'communication')),
      on_date date not null,
      title text not null,
      document_number text,
      findings integer check (findings >= 0),
      details jsonb not null default '{}',
      version integer not null default 1,
      updated_by text not null,
      updated_at timestamptz not null default now())`.execute(db);
  await sql`create index reform_registers_agency on reform_registers (agency_code, kind, on_date, id)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table reform_registers`.execute(db);
  await sql`drop table plan_tasks`.execute(db);
}
