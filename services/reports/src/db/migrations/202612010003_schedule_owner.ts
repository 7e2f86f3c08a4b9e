import { sql, type Kysely } from 'kysely';

/** The officer told when a scheduled report is ready (through intake's notification module). */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table report_schedules add column owner text`.execute(db);
  await sql`update report_schedules set owner = created_by`.execute(db);
  await sql`alter table report_schedules alter column owner set not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table report_schedules drop column owner`.execute(db);
}
