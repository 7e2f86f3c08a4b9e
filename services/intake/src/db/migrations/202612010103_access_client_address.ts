import { sql, type Kysely } from 'kysely';

/** The address a personal-data read came from (the client's, behind the gateway's trusted proxies). */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table personal_data_access add column client_address text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table personal_data_access drop column client_address`.execute(db);
}
