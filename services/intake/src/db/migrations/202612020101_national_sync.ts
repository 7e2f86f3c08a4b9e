import { sql, type Kysely } from 'kysely';
import { CURRENT_NATIONAL_MAPPING } from '../../national-sync/domain/mapping';

/**
 * The dossier sync to the national public-service portal (issue 18): the mapping as versioned
 * data (seeded with the current national one), the pushes in order per dossier (the table is its
 * own outbox: claimed with FOR UPDATE SKIP LOCKED, retried with backoff on the row), the sync
 * state per dossier, and the reconciliation runs with the differences they found.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table national_sync_mappings (
      version integer primary key,
      document jsonb not null,
      note text,
      created_by text not null,
      created_at timestamptz not null default now())`.execute(db);
  await sql`
    insert into national_sync_mappings (version, document, note, created_by)
    values (1, ${JSON.stringify(CURRENT_NATIONAL_MAPPING)}::jsonb, 'the national mapping when the sync was built', 'seed')`.execute(
    db,
  );
  await sql`
    create table national_sync_pushes (
      id uuid primary key,
      seq bigserial not null,
      dossier_id uuid not null,
      dossier_version integer not null,
      reason text not null,
      record jsonb not null,
      status text not null default 'pending' check (status in ('pending', 'delivered', 'dead')),
      attempts integer not null default 0,
      round integer not null default 1,
      available_at timestamptz not null default now(),
      created_at timestamptz not null default now(),
      delivered_at timestamptz,
      dead_at timestamptz,
      last_error text)`.execute(db);
  // The head of each dossier's line: its first push not yet delivered.
  await sql`create index national_sync_pushes_open_idx on national_sync_pushes (dossier_id, dossier_version, seq) where status <> 'delivered'`.execute(
    db,
  );
  await sql`create index national_sync_pushes_dead_idx on national_sync_pushes (dead_at, id) where status = 'dead'`.execute(
    db,
  );
  await sql`create index national_sync_pushes_dossier_idx on national_sync_pushes (dossier_id, seq)`.execute(
    db,
  );
  await sql`
    create table national_sync_state (
      dossier_id uuid primary key,
      code text not null,
      agency_code text not null,
      pending_since timestamptz,
      last_pushed_version integer,
      last_pushed_status text,
      receipt_synced_at timestamptz,
      synced_at timestamptz,
      last_error text,
      attempts integer not null default 0,
      dead_at timestamptz,
      updated_at timestamptz not null default now())`.execute(db);
  await sql`
    create table national_sync_runs (
      id uuid primary key,
      trigger text not null,
      since timestamptz not null,
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      checked integer not null default 0,
      differing integer not null default 0,
      error text)`.execute(db);
  await sql`
    create table national_sync_differences (
      id bigserial primary key,
      run_id uuid not null references national_sync_runs (id) on delete cascade,
      dossier_id uuid,
      code text not null,
      kinds text[] not null,
      ours jsonb,
      theirs jsonb,
      repushed boolean not null default false)`.execute(db);
  await sql`create index national_sync_differences_run_idx on national_sync_differences (run_id, id)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'national_sync_differences',
    'national_sync_runs',
    'national_sync_state',
    'national_sync_pushes',
    'national_sync_mappings',
  ])
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
}
