import { addOutboxTraceparent } from '@tthc/bus';
import { sql, type Kysely } from 'kysely';

/**
 * Outbox rows and notification messages (the dispatcher's own outbox) carry the trace context of
 * the change that wrote them (tracing on).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await addOutboxTraceparent(db);
  await sql`alter table notification_messages add column if not exists traceparent text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table notification_messages drop column if exists traceparent`.execute(db);
  await sql`alter table outbox drop column if exists traceparent`.execute(db);
}
