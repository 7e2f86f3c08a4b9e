import { createDeadLettersTable } from '@tthc/bus';
import { sql, type Kysely } from 'kysely';

/** Events the consumer could not apply, parked with the reason for an operator (issue 13, bad input). */
export async function up(db: Kysely<any>): Promise<void> {
  await createDeadLettersTable(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table dead_letters`.execute(db);
}
