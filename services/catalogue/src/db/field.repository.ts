import type { Executor } from '@tthc/db';
import type { CatalogueDb } from './schema';

export interface Field {
  code: string;
  name: string;
}

export async function insertField(db: Executor<CatalogueDb>, field: Field): Promise<boolean> {
  const row = await db
    .insertInto('fields')
    .values(field)
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('code')
    .executeTakeFirst();
  return row !== undefined;
}

export async function findField(db: Executor<CatalogueDb>, code: string): Promise<Field | undefined> {
  return db.selectFrom('fields').select(['code', 'name']).where('code', '=', code).executeTakeFirst();
}

export async function listFields(db: Executor<CatalogueDb>): Promise<Field[]> {
  return db.selectFrom('fields').select(['code', 'name']).orderBy('code').execute();
}
