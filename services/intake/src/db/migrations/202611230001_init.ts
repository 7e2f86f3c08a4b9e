import { createOutboxTable, createProcessedEventsTable } from '@tthc/bus';
import { sql, type Kysely } from 'kysely';

/** Raises on UPDATE or DELETE: the table is a trail, written once. */
async function appendOnly(db: Kysely<any>, table: string): Promise<void> {
  await sql
    .raw(
      `create trigger ${table}_append_only before update or delete on ${table}
       for each row execute function refuse_change()`,
    )
    .execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function refuse_change() returns trigger language plpgsql as $$
    begin raise exception '% is append-only', tg_table_name; end $$`.execute(db);

  // The intake's copy of the catalogue (from procedure.* events): versions and status changes by date.
  await sql`
    create table procedure_versions (
      code text not null, version integer not null, procedure_id uuid not null, name text not null,
      field_code text not null, deciding_agency_code text not null, receiving_agency_code text not null,
      online_level text not null, methods jsonb not null, components jsonb not null, inter_agency jsonb,
      fee_bearing boolean not null, valid_from date not null, updated_at timestamptz not null default now(),
      primary key (code, version))`.execute(db);
  await sql`
    create table procedure_status (
      code text not null, effective_from date not null, status text not null, event_version integer not null,
      primary key (code, effective_from, event_version))`.execute(db);

  // Regulation numbers as effective-dated data; a dossier is judged by the set in force at receipt.
  await sql`
    create table rule_sets (
      id text primary key, name text not null, legal_basis text not null,
      effective_from date not null unique, params jsonb not null,
      created_at timestamptz not null default now())`.execute(db);

  // Official days off and worked days; they win over the computed calendar.
  await sql`
    create table calendar_overrides (
      date date primary key, kind text not null check (kind in ('holiday','working_day')),
      reason text not null, source text, updated_by text not null, updated_at timestamptz not null default now())`.execute(
    db,
  );

  await sql`
    create table dossiers (
      id uuid primary key,
      code text not null unique,
      procedure_code text not null, procedure_version integer not null, procedure_name text not null,
      field_code text not null, agency_code text not null, receiving_agency_code text not null,
      channel text not null check (channel in ('direct','online','postal')),
      home_service boolean not null default false,
      status text not null check (status in ('submitted','received','refused','processing','awaiting_supplement',
        'awaiting_payment','withdrawn','stopped','resolved','returned')),
      applicant_kind text not null check (applicant_kind in ('person','organisation')),
      applicant_name text not null,
      applicant_contact jsonb not null,
      applicant_phone text, applicant_id_number text,
      components jsonb not null,
      case_name text,
      fees_due bigint not null default 0,
      processing_time jsonb not null,
      rule_set_id text not null references rule_sets(id),
      submitted_at timestamptz not null,
      received_at timestamptz,
      due_at timestamptz,
      original_due_at timestamptz,
      ended_at timestamptz,
      timeliness text check (timeliness in ('early','on_time','late')),
      current_unit text, current_officer text,
      supplement_count integer not null default 0,
      reschedule_count integer not null default 0,
      result jsonb,
      return_info jsonb,
      source_system text, source_id text,
      version integer not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (source_system, source_id))`.execute(db);
  await sql`create index dossiers_agency_received_idx on dossiers (agency_code, received_at)`.execute(db);
  await sql`create index dossiers_status_due_idx on dossiers (status, due_at, id)`.execute(db);
  await sql`create index dossiers_received_id_idx on dossiers (received_at desc, id desc)`.execute(db);

  // The audit trail: every change of a dossier, who, as what, when, from and to which status, what changed.
  await sql`
    create table dossier_history (
      id bigserial primary key, dossier_id uuid not null references dossiers(id), dossier_version integer not null,
      action text not null, from_status text, to_status text not null,
      actor text not null, actor_role text, actor_agency text,
      at timestamptz not null, payload jsonb not null default '{}'::jsonb)`.execute(db);
  await sql`create index dossier_history_dossier_idx on dossier_history (dossier_id, id)`.execute(db);
  await appendOnly(db, 'dossier_history');

  // Facts the indicators need beside the legal due date: each supplement request and completion.
  await sql`
    create table dossier_supplements (
      id bigserial primary key, dossier_id uuid not null references dossiers(id),
      requested_at timestamptz not null, reason text not null, items jsonb not null,
      within_legal_window boolean not null, due_at_before timestamptz,
      completed_at timestamptz, due_at_after timestamptz)`.execute(db);

  // Processing steps: units within an agency and agencies of an inter-agency procedure, each with its deadline.
  await sql`
    create table dossier_steps (
      id bigserial primary key, dossier_id uuid not null references dossiers(id), seq integer not null,
      agency_code text not null, unit text, officer text, task text not null,
      mode text not null check (mode in ('sequential','parallel','internal')),
      assigned_at timestamptz not null, due_at timestamptz, completed_at timestamptz,
      unique (dossier_id, seq))`.execute(db);

  await sql`
    create table dossier_payments (
      id uuid primary key, dossier_id uuid not null references dossiers(id), amount bigint not null check (amount > 0),
      method text not null, online boolean not null, receipt_number text, paid_at timestamptz not null,
      recorded_by text not null, unique (dossier_id, receipt_number))`.execute(db);

  await sql`
    create table dossier_ratings (
      dossier_id uuid primary key references dossiers(id),
      rating text not null check (rating in ('satisfied','normal','not_satisfied')),
      comment text, rated_at timestamptz not null)`.execute(db);

  await sql`
    create table dossier_serials (
      agency_code text not null, day date not null, last_serial integer not null,
      primary key (agency_code, day))`.execute(db);

  // A retried POST with the same Idempotency-Key gets the first answer and creates nothing.
  await sql`
    create table idempotency_keys (
      scope text not null, key text not null, request_hash text not null,
      status integer not null, body jsonb not null, created_at timestamptz not null default now(),
      primary key (scope, key))`.execute(db);

  await createOutboxTable(db);
  await createProcessedEventsTable(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'processed_events',
    'outbox',
    'idempotency_keys',
    'dossier_serials',
    'dossier_ratings',
    'dossier_payments',
    'dossier_steps',
    'dossier_supplements',
    'dossier_history',
    'dossiers',
    'calendar_overrides',
    'rule_sets',
    'procedure_status',
    'procedure_versions',
  ]) {
    await db.schema.dropTable(t).execute();
  }
  await sql`drop function refuse_change()`.execute(db);
}
