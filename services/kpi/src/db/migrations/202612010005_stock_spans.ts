import { sql, type Kysely } from 'kysely';

/**
 * The stocks of the statistics table on each dossier's row (domain/stock-spans.ts): the days at
 * whose end it is in progress, and those at whose end it is overdue in each view, so a period's
 * carried-over and in-progress counts are an indexed count (issue 13, Speed). progress_span is
 * filled here from the columns already held; the overdue days need the dossier folded again
 * (`npm run rebuild -w @tthc/kpi -- --refold`): until then a dossier without them is judged from
 * its timeline, as before.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table dossiers add column progress_span daterange, add column legal_overdue_days datemultirange, add column ind_overdue_days datemultirange`.execute(
    db,
  );
  await sql`update dossiers set progress_span = daterange(received_day, ended_day, '[)')
    where received_day is not null and (ended_day is null or ended_day > received_day)`.execute(db);
  await sql`create index dossiers_progress_span_idx on dossiers using gist (progress_span)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index dossiers_progress_span_idx`.execute(db);
  await sql`alter table dossiers drop column progress_span, drop column legal_overdue_days, drop column ind_overdue_days`.execute(
    db,
  );
}
