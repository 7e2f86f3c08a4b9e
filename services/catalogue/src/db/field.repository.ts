import type { Executor } from '@tthc/db';
import { sql } from 'kysely';
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

export async function upsertField(db: Executor<CatalogueDb>, field: Field): Promise<void> {
  await db
    .insertInto('fields')
    .values(field)
    .onConflict((oc) => oc.column('code').doUpdateSet({ name: field.name, updated_at: sql<Date>`now()` }))
    .execute();
}

export async function findField(db: Executor<CatalogueDb>, code: string): Promise<Field | undefined> {
  return db.selectFrom('fields').select(['code', 'name']).where('code', '=', code).executeTakeFirst();
}

/** Fields in Vietnamese alphabetical order. */
export async function listFields(db: Executor<CatalogueDb>): Promise<Field[]> {
  return db
    .selectFrom('fields')
    .select(['code', 'name'])
    .orderBy(sql`name collate vi`)
    .orderBy('code')
    .execute();
}

export async function renameField(db: Executor<CatalogueDb>, code: string, name: string): Promise<boolean> {
  const r = await db
    .updateTable('fields')
    .set({ name, updated_at: sql<Date>`now()` })
    .where('code', '=', code)
    .returning('code')
    .executeTakeFirst();
  return r !== undefined;
}
