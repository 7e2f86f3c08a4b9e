import { addOutboxTraceparent } from '@tthc/bus';
import { sql, type Kysely } from 'kysely';

/** Outbox rows carry the trace context of the change that wrote them (tracing on). */
export async function up(db: Kysely<any>): Promise<void> {
  await addOutboxTraceparent(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table outbox drop column if exists traceparent`.execute(db);
}
