import { sql, type Kysely } from 'kysely';

/**
 * Facts on a timeline (issue 13): the raw event log stays (renamed dossier_events, with the
 * payload's contract version so it can be folded again after a contract change); one row per
 * dossier folded from it, with its waits and due-date changes as child tables; daily rollups by
 * agency × field × procedure × authority level × channel; procedure versions with their validity;
 * feedback. The first skeleton's received_daily and procedure_facts are replaced: the rollups and
 * procedure versions are rebuilt from the logs (npm run rebuild -w @tthc/kpi).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table dossier_facts rename to dossier_events`.execute(db);
  await sql`alter table dossier_events add column schema_version integer not null default 1`.execute(db);
  await sql`alter index dossier_facts_dossier_idx rename to dossier_events_dossier_idx`.execute(db);
  await sql`drop index dossier_facts_agency_time_idx`.execute(db);
  await sql`alter table feedback_facts rename to feedback_events`.execute(db);
  await sql`alter table feedback_events add column schema_version integer not null default 1`.execute(db);
  await sql`create index feedback_events_feedback_idx on feedback_events (feedback_id)`.execute(db);
  await sql`drop table received_daily`.execute(db);
  await sql`drop table procedure_facts`.execute(db);

  await sql`
    create table dossiers (
      dossier_id uuid primary key,
      code text not null,
      procedure_code text not null,
      procedure_version integer,
      field_code text not null,
      agency_code text not null,
      receiving_agency_code text not null,
      channel text not null,
      home_service boolean,
      authority_level text,
      online_level text,
      legacy_level integer,
      fee_bearing boolean,
      result_is_paper boolean,
      processing_time jsonb,
      population_data_used boolean,
      fees_due bigint,
      components jsonb,
      rule_set_id text,
      submitted_at timestamptz,
      received_at timestamptz,
      received_day date,
      receipt_due_at timestamptz,
      rescheduled_at timestamptz,
      rescheduled_due_at timestamptz,
      resolved_at timestamptz,
      e_result boolean,
      result_digitized boolean,
      returned_at timestamptz,
      withdrawn_at timestamptz,
      stopped_at timestamptz,
      refused_at timestamptz,
      first_paid_at timestamptz,
      first_online_paid_at timestamptz,
      paid_amount bigint not null default 0,
      rating text,
      rated_at timestamptz,
      first_complaint_at timestamptz,
      complaints integer not null default 0,
      status text,
      last_version integer not null,
      ended_at timestamptz,
      ended_day date,
      end_kind text,
      legal_outcome text,
      indicator_outcome text,
      legal_due_at date,
      supplement_requests integer not null default 0,
      open_span daterange,
      updated_at timestamptz not null default now())`.execute(db);
  await sql`create index dossiers_code_idx on dossiers (code)`.execute(db);
  await sql`create index dossiers_received_day_idx on dossiers (received_day, code)`.execute(db);
  await sql`create index dossiers_ended_day_idx on dossiers (ended_day, code)`.execute(db);
  await sql`create index dossiers_procedure_idx on dossiers (procedure_code, procedure_version)`.execute(db);
  // The dossiers whose figures may still change at a day: in progress, or with a fact after it.
  await sql`create index dossiers_open_span_idx on dossiers using gist (open_span)`.execute(db);

  await sql`
    create table dossier_waits (
      dossier_id uuid not null references dossiers (dossier_id) on delete cascade,
      seq integer not null,
      kind text not null check (kind in ('supplement', 'payment')),
      started_at timestamptz not null,
      ended_at timestamptz,
      within_legal_window boolean,
      primary key (dossier_id, seq))`.execute(db);
  await sql`
    create table dossier_due_dates (
      dossier_id uuid not null references dossiers (dossier_id) on delete cascade,
      version integer not null,
      at timestamptz not null,
      legal_due_at timestamptz,
      due_at timestamptz,
      primary key (dossier_id, version))`.execute(db);

  for (const [table, measures] of [
    [
      'rollup_received_daily',
      [
        'received',
        'received_online',
        'received_direct_postal',
        'fee_bearing',
        'paid_online',
        'digitized',
        'reused',
        'citizen_store',
        'population_known',
        'population_used',
      ],
    ],
    [
      'rollup_ended_daily',
      [
        'ended',
        'resolved',
        'legal_early',
        'legal_on_time',
        'legal_late',
        'ind_early',
        'ind_on_time',
        'ind_late',
        'e_result',
        'result_digitized',
        'dissatisfied',
      ],
    ],
  ] as const) {
    await sql`
      create table ${sql.table(table)} (
        day date not null,
        agency_code text not null,
        field_code text not null,
        procedure_code text not null,
        authority_level text not null,
        channel text not null,
        ${sql.join(measures.map((m) => sql`${sql.ref(m)} integer not null default 0`))},
        primary key (day, agency_code, field_code, procedure_code, authority_level, channel))`.execute(db);
  }

  await sql`
    create table procedure_versions (
      code text not null,
      version integer not null,
      procedure_id uuid not null,
      name text not null,
      field_code text not null,
      deciding_agency_code text not null,
      receiving_agency_code text not null,
      authority_level text not null,
      online_level text not null,
      legacy_level integer,
      fee_bearing boolean not null,
      online_payment boolean,
      complete boolean not null,
      result_is_paper boolean,
      decision_number text not null,
      decision_signed_on date,
      national_published_on date,
      legal_basis_effective_from date,
      valid_from date not null,
      valid_to date,
      event_version integer not null,
      primary key (code, version))`.execute(db);
  await sql`
    create table procedure_status_changes (
      code text not null,
      effective_from date not null,
      status text not null,
      version integer not null,
      decision_number text not null,
      event_version integer not null,
      primary key (code, effective_from, event_version))`.execute(db);

  await sql`
    create table feedbacks (
      feedback_id uuid primary key,
      code text not null,
      kind text not null,
      agency_code text not null,
      procedure_code text,
      dossier_code text,
      received_at timestamptz,
      due_at timestamptz,
      answered_at timestamptz,
      answered_on_time boolean,
      satisfaction text,
      rated_at timestamptz,
      updated_at timestamptz not null default now())`.execute(db);
  await sql`create index feedbacks_dossier_idx on feedbacks (dossier_code) where kind = 'handling'`.execute(
    db,
  );
  await sql`create index feedbacks_agency_idx on feedbacks (agency_code)`.execute(db);

  // Agency codes kpi has met in events (it owns no agencies): what "an unknown agency" means here.
  await sql`create table agencies_seen (code text primary key, first_seen_at timestamptz not null default now())`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'agencies_seen',
    'feedbacks',
    'procedure_status_changes',
    'procedure_versions',
    'rollup_ended_daily',
    'rollup_received_daily',
    'dossier_due_dates',
    'dossier_waits',
    'dossiers',
  ]) {
    await sql`drop table ${sql.table(t)}`.execute(db);
  }
  await sql`drop index feedback_events_feedback_idx`.execute(db);
  await sql`alter table feedback_events drop column schema_version`.execute(db);
  await sql`alter table feedback_events rename to feedback_facts`.execute(db);
  await sql`alter table dossier_events drop column schema_version`.execute(db);
  await sql`alter index dossier_events_dossier_idx rename to dossier_facts_dossier_idx`.execute(db);
  await sql`alter table dossier_events rename to dossier_facts`.execute(db);
  await sql`create index dossier_facts_agency_time_idx on dossier_facts (agency_code, occurred_at)`.execute(
    db,
  );
  await sql`create table received_daily (agency_code text not null, day date not null, received integer not null, primary key (agency_code, day))`.execute(
    db,
  );
  await sql`create table procedure_facts (code text primary key, version integer not null, field_code text, agency_code text, online_level text, status text not null, updated_at timestamptz not null default now())`.execute(
    db,
  );
}
