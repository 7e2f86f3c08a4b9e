import { sql, type Kysely } from 'kysely';

/**
 * Feedback (phản ánh, kiến nghị) on a procedure's regulation or on the handling of a dossier
 * (Nghị định 20/2008/NĐ-CP): the feedback, its append-only trail and the serial of its codes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table feedback (
      id uuid primary key,
      code text not null unique,
      kind text not null check (kind in ('regulation','handling')),
      procedure_code text not null,
      dossier_code text,
      agency_code text not null,
      sender jsonb not null,
      content text not null,
      rule_set_id text not null references rule_sets(id),
      received_at timestamptz not null,
      due_at timestamptz not null,
      assigned_unit text, assigned_officer text, assigned_at timestamptz,
      answer text, answered_at timestamptz, answered_by text,
      timeliness text check (timeliness in ('early','on_time','late')),
      satisfaction text check (satisfaction in ('satisfied','normal','not_satisfied')),
      rating_comment text, rated_at timestamptz,
      status text not null check (status in ('received','assigned','answered','closed')),
      version integer not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (kind = 'regulation' or dossier_code is not null),
      check ((status in ('answered','closed')) = (answered_at is not null and timeliness is not null)),
      check (satisfaction is null or answered_at is not null))`.execute(db);
  await sql`create index feedback_received_id_idx on feedback (received_at desc, id desc)`.execute(db);
  await sql`create index feedback_status_due_idx on feedback (status, due_at)`.execute(db);
  await sql`create index feedback_agency_received_idx on feedback (agency_code, received_at)`.execute(db);

  // Every change of a feedback, who, as what, when, from and to which status; written once.
  await sql`
    create table feedback_history (
      id bigserial primary key, feedback_id uuid not null references feedback(id), feedback_version integer not null,
      action text not null, from_status text, to_status text not null,
      actor text not null, actor_role text, actor_agency text,
      at timestamptz not null, payload jsonb not null default '{}'::jsonb)`.execute(db);
  await sql`create index feedback_history_feedback_idx on feedback_history (feedback_id, id)`.execute(db);
  // refuse_change() comes from 202611230001_init.
  await sql`
    create trigger feedback_history_append_only before update or delete on feedback_history
    for each row execute function refuse_change()`.execute(db);

  await sql`create table feedback_serials (day date primary key, last_serial integer not null)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['feedback_serials', 'feedback_history', 'feedback'])
    await db.schema.dropTable(t).execute();
}
