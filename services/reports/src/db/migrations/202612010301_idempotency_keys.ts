import { createIdempotencyTable } from '@tthc/db';
import type { Kysely } from 'kysely';

/** The stored answers of creating requests by caller and Idempotency-Key (a retry gets the first answer). */
export async function up(db: Kysely<any>): Promise<void> {
  await createIdempotencyTable(db);
}
