import { sql, type Kysely } from 'kysely';

/**
 * Yearly targets per agency and indicator (issue 14), and the audit trail of every change kpi
 * accepts from people: targets, frameworks, manual scores, plan tasks, registers. Target values
 * and points are numeric, so sums are exact.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table kpi_audit (
      id bigserial primary key,
      at timestamptz not null default now(),
      actor text not null,
      actor_name text,
      entity text not null,
      entity_id text not null,
      agency_code text,
      action text not null,
      before jsonb,
      after jsonb)`.execute(db);
  await sql`create index kpi_audit_entity on kpi_audit (entity, entity_id, id)`.execute(db);
  await sql`
    create table targets (
      id uuid primary key default gen_random_uuid(),
      agency_code text not null,
      year integer not null check (year between 2000 and 2100),
      indicator text not null,
      comparator text not null check (comparator in ('at_least', 'at_most', 'equal')),
      value numeric(12, 2) not null,
      note text,
      updated_by text not null,
      updated_at timestamptz not null default now(),
      unique (agency_code, year, indicator))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table targets`.execute(db);
  await sql`drop table kpi_audit`.execute(db);
}
