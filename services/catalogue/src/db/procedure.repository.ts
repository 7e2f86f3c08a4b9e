import type { Executor } from '@tthc/db';
import { sql, type Selectable } from 'kysely';
import type { CatalogueDb, ProcedureTable } from './schema';

export type ProcedureRow = Selectable<ProcedureTable>;

export async function insertProcedure(
  db: Executor<CatalogueDb>,
  row: Omit<ProcedureRow, 'created_at' | 'updated_at'>,
): Promise<ProcedureRow | undefined> {
  return db
    .insertInto('procedures')
    .values(row)
    .onConflict((oc) => oc.column('code').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findProcedure(db: Executor<CatalogueDb>, code: string): Promise<ProcedureRow | undefined> {
  return db.selectFrom('procedures').selectAll().where('code', '=', code).executeTakeFirst();
}

export interface ProcedureFilter {
  fieldCode?: string | undefined;
  q?: string | undefined;
  after?: string | undefined;
  limit: number;
}

/** Keyset page ordered by code; `q` matches name or code without accents. */
export async function listProcedures(db: Executor<CatalogueDb>, filter: ProcedureFilter): Promise<ProcedureRow[]> {
  let query = db.selectFrom('procedures').selectAll().orderBy('code').limit(filter.limit + 1);
  if (filter.fieldCode) query = query.where('field_code', '=', filter.fieldCode);
  if (filter.after) query = query.where('code', '>', filter.after);
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, '\\$&')}%`;
    query = query.where(sql<boolean>`f_unaccent(name || ' ' || code) like f_unaccent(${pattern})`);
  }
  return query.execute();
}
