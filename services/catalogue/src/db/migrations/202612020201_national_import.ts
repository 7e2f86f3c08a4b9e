import { sql, type Kysely } from 'kysely';
import { DEFAULT_NATIONAL_MAPPING } from '../../national/mapping';

/**
 * The import from the national procedure database: the mapping that reads its records (every
 * replacement kept, the newest in force), and one row per pull of the configured source (what
 * was asked, what came back, what was applied or refused and why).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table national_mappings (
      version integer primary key,
      document jsonb not null,
      created_by text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    insert into national_mappings (version, document, created_by)
    values (1, ${JSON.stringify(DEFAULT_NATIONAL_MAPPING)}::jsonb, 'seed')`.execute(db);
  await sql`
    create table national_pulls (
      id uuid primary key,
      trigger text not null check (trigger in ('schedule', 'operator')),
      attempt integer not null,
      url text not null,
      started_at timestamptz not null,
      finished_at timestamptz,
      outcome text not null check (outcome in ('running', 'not_modified', 'applied', 'partial', 'failed')),
      http_status integer,
      etag text,
      last_modified text,
      mapping_version integer not null,
      counts jsonb not null default '{}',
      refused jsonb not null default '[]',
      error text,
      requested_by text not null
    )`.execute(db);
  await sql`create index national_pulls_started on national_pulls (started_at desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table national_pulls`.execute(db);
  await sql`drop table national_mappings`.execute(db);
}
