import { withTransaction, type Executor } from '@tthc/db';
import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import { NationalMapping } from '../national/mapping';
import type { CatalogueDb, NationalPullOutcome, NationalPullTable } from './schema';

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

/** The catalogue's field whose name is the given one, accents and case aside. */
export async function fieldCodeByName(db: Executor<CatalogueDb>, name: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('fields')
    .select('code')
    .where(sql<boolean>`lower(f_unaccent(name)) = lower(f_unaccent(${name}))`)
    .orderBy('code')
    .executeTakeFirst();
  return row?.code;
}

export type PullRow = Selectable<NationalPullTable>;

export async function insertPullRun(
  db: Executor<CatalogueDb>,
  run: Pick<
    PullRow,
    'id' | 'trigger' | 'attempt' | 'url' | 'started_at' | 'mapping_version' | 'requested_by'
  >,
): Promise<void> {
  await db
    .insertInto('national_pulls')
    .values({
      ...run,
      outcome: 'running',
      http_status: null,
      etag: null,
      last_modified: null,
      finished_at: null,
      error: null,
    })
    .execute();
}

export async function finishPullRun(
  db: Executor<CatalogueDb>,
  id: string,
  outcome: NationalPullOutcome,
  finishedAt: Date,
  fields: Partial<{
    http_status: number | null;
    etag: string | null;
    last_modified: string | null;
    counts: unknown;
    refused: unknown;
    error: string | null;
  }>,
): Promise<PullRow> {
  return db
    .updateTable('national_pulls')
    .set({
      outcome,
      finished_at: finishedAt,
      ...fields,
      ...(fields.counts !== undefined ? { counts: JSON.stringify(fields.counts) } : {}),
      ...(fields.refused !== undefined ? { refused: JSON.stringify(fields.refused) } : {}),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listPullRows(db: Executor<CatalogueDb>, limit: number): Promise<PullRow[]> {
  return db
    .selectFrom('national_pulls')
    .selectAll()
    .orderBy('started_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * The validators of the last answer read with the mapping now in force: a source that has not
 * changed since answers 304 and nothing is read. Once the mapping changed, the next pull asks
 * for everything again, so records refused before are read with the new mapping.
 */
export async function lastValidators(
  db: Executor<CatalogueDb>,
  url: string,
  mappingVersion: number,
): Promise<{ etag: string | null; lastModified: string | null } | undefined> {
  const r = await db
    .selectFrom('national_pulls')
    .select(['etag', 'last_modified'])
    .where('url', '=', url)
    .where('mapping_version', '=', mappingVersion)
    .where('outcome', 'in', ['applied', 'not_modified'])
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? { etag: r.etag, lastModified: r.last_modified } : undefined;
}
