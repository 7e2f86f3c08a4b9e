import { withTransaction, type Executor } from '@tthc/db';
import { sql } from 'kysely';
import type { CatalogueDb } from '../db/schema';
import { NationalMapping } from './mapping';

export interface StoredMapping {
  version: number;
  document: NationalMapping;
  createdBy: string;
  createdAt: Date;
}

/** The mapping in force: the newest stored version. */
export async function currentMapping(db: Executor<CatalogueDb>): Promise<StoredMapping> {
  const row = await db
    .selectFrom('national_mappings')
    .selectAll()
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  return {
    version: row.version,
    document: NationalMapping.parse(row.document),
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

/** Stores a new version of the mapping (the old ones stay, for the pulls that used them). */
export async function replaceMapping(
  db: Executor<CatalogueDb>,
  document: NationalMapping,
  actor: string,
): Promise<StoredMapping> {
  return withTransaction(db, async (tx) => {
    // One writer at a time, so two replacements never take the same version number.
    await sql`lock table national_mappings in share row exclusive mode`.execute(tx);
    const row = await tx
      .insertInto('national_mappings')
      .values({
        version: sql<number>`(select coalesce(max(version), 0) + 1 from national_mappings)`,
        document: JSON.stringify(document),
        created_by: actor,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { version: row.version, document, createdBy: row.created_by, createdAt: row.created_at };
  });
}
