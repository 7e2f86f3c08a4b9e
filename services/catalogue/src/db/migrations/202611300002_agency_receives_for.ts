import { sql, type Kysely } from 'kysely';

/**
 * The agencies a desk receives dossiers for, beyond those below it: a provincial public
 * administration service centre (Trung tâm Phục vụ hành chính công) receives for the
 * departments, so its officers' scope covers theirs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table agencies add column receives_for text[] not null default '{}'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table agencies drop column receives_for`.execute(db);
}
