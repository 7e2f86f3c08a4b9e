import { orderOutboxClaim, unorderOutboxClaim } from '@tthc/bus';
import type { Kysely } from 'kysely';

/** The relay's claim reads unsent rows in its own order, and leasing them writes no index (bus outbox.ts). */
export async function up(db: Kysely<any>): Promise<void> {
  await orderOutboxClaim(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await unorderOutboxClaim(db);
}
