import { sql, type Kysely } from 'kysely';

/** A report belongs to the agency it reports on (null: the whole province), so lists follow the agency scope. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table reports add column agency_code text`.execute(db);
  await sql`update reports set agency_code = params->>'agencyCode'`.execute(db);
  await sql`create index reports_agency_created_idx on reports (agency_code, created_at desc, id desc)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index reports_agency_created_idx`.execute(db);
  await sql`alter table reports drop column agency_code`.execute(db);
}
