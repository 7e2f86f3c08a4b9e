import { sql, type Kysely } from 'kysely';

/** Per key: whether the system may state the officer acting on its behalf (desk software). */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table api_keys add column may_state_officer boolean not null default false`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table api_keys drop column may_state_officer`.execute(db);
}
