import { addIdempotencyHeaders } from '@tthc/db';
import type { Kysely } from 'kysely';

/** Stored answers keep their Location and ETag, replayed with them (every creating POST takes an Idempotency-Key). */
export async function up(db: Kysely<any>): Promise<void> {
  await addIdempotencyHeaders(db);
}
