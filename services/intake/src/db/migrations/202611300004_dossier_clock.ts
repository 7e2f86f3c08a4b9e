import { sql, type Kysely } from 'kysely';

/**
 * The dossier clock keeps three dates (domain.md, Timeliness): `original_due_at`, the appointment
 * printed at receipt, written once; `legal_due_at`, the due date the dossier is judged against
 * (recomputed when a supplement restarts the clock, moved by the time spent waiting for the
 * applicant, never by a reschedule); `due_at`, the current appointment the desk works to (the
 * rescheduled date, moved by waits likewise). `waiting_since` is when the clock stopped for the
 * applicant (a supplement or a payment asked for).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table dossiers add column legal_due_at timestamptz, add column waiting_since timestamptz`.execute(
    db,
  );
  await sql`update dossiers set legal_due_at = original_due_at`.execute(db);
  await sql`
    update dossiers d set waiting_since = (
      select max(h.at) from dossier_history h where h.dossier_id = d.id and h.to_status = d.status)
    where d.status in ('awaiting_supplement', 'awaiting_payment')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table dossiers drop column legal_due_at, drop column waiting_since`.execute(db);
}
