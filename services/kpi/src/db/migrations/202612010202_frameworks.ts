import { sql, type Kysely } from 'kysely';

/**
 * Reform-index frameworks (issue 14): a tree of areas and criteria per code and year, held as a
 * validated definition; the manual scores of its criteria per agency, self-assessment and
 * appraisal kept apart; and the results published (frozen) per agency.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table frameworks (
      code text not null,
      year integer not null check (year between 2000 and 2100),
      name text not null,
      definition jsonb not null,
      version integer not null default 1,
      updated_by text not null,
      updated_at timestamptz not null default now(),
      primary key (code, year))`.execute(db);
  await sql`
    create table framework_scores (
      framework_code text not null,
      year integer not null,
      agency_code text not null,
      criterion text not null,
      stage text not null check (stage in ('self', 'appraisal')),
      points numeric(8, 2) not null check (points >= 0),
      comment text,
      evidence jsonb not null default '[]',
      assessor text not null,
      assessor_name text,
      entered_at timestamptz not null default now(),
      primary key (framework_code, year, agency_code, criterion, stage),
      foreign key (framework_code, year) references frameworks (code, year))`.execute(db);
  await sql`
    create table framework_results (
      framework_code text not null,
      year integer not null,
      agency_code text not null,
      total numeric(8, 2),
      result jsonb not null,
      published_by text not null,
      published_at timestamptz not null default now(),
      primary key (framework_code, year, agency_code),
      foreign key (framework_code, year) references frameworks (code, year))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table framework_results`.execute(db);
  await sql`drop table framework_scores`.execute(db);
  await sql`drop table frameworks`.execute(db);
}
