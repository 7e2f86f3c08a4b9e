import type { Executor } from '@tthc/db';
import { sql, type Insertable, type Selectable } from 'kysely';
import type { AgencyTable, CatalogueDb } from './schema';

export type AgencyRow = Selectable<AgencyTable>;

export async function insertAgency(
  db: Executor<CatalogueDb>,
  row: Insertable<AgencyTable>,
): Promise<boolean> {
  const r = await db
    .insertInto('agencies')
    .values(row)
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('code')
    .executeTakeFirst();
  return r !== undefined;
}

export async function upsertAgency(db: Executor<CatalogueDb>, row: Insertable<AgencyTable>): Promise<void> {
  await db
    .insertInto('agencies')
    .values(row)
    .onConflict((oc) =>
      oc.column('code').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        parent_code: eb.ref('excluded.parent_code'),
        level: eb.ref('excluded.level'),
        kind: eb.ref('excluded.kind'),
        receives_for: eb.ref('excluded.receives_for'),
        updated_at: sql<Date>`now()`,
      })),
    )
    .execute();
}

export async function findAgency(db: Executor<CatalogueDb>, code: string): Promise<AgencyRow | undefined> {
  return db.selectFrom('agencies').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function listAgencies(db: Executor<CatalogueDb>): Promise<AgencyRow[]> {
  return db.selectFrom('agencies').selectAll().orderBy('code').execute();
}

/** The agency and all below it. */
export async function agencySubtree(db: Executor<CatalogueDb>, code: string): Promise<AgencyRow[]> {
  const result = await sql<AgencyRow>`
    with recursive tree as (
      select * from agencies where code = ${code}
      union all
      select a.* from agencies a join tree t on a.parent_code = t.code
    )
    select * from tree order by code`.execute(db);
  return result.rows;
}

/** The top of the agency's tree (the province's people's committee for provincial agencies). */
export async function agencyRoot(db: Executor<CatalogueDb>, code: string): Promise<string> {
  const result = await sql<{ code: string }>`
    with recursive up as (
      select code, parent_code, 0 as depth from agencies where code = ${code}
      union all
      select a.code, a.parent_code, up.depth + 1 from agencies a join up on a.code = up.parent_code where up.depth < 20
    )
    select code from up order by depth desc limit 1`.execute(db);
  return result.rows[0]?.code ?? code;
}

/** The codes among these that name no agency. */
export async function unknownAgencies(
  db: Executor<CatalogueDb>,
  codes: readonly string[],
): Promise<string[]> {
  if (codes.length === 0) return [];
  const found = await db
    .selectFrom('agencies')
    .select('code')
    .where('code', 'in', [...codes])
    .execute();
  const known = new Set(found.map((r) => r.code));
  return codes.filter((c) => !known.has(c));
}

/** True when making `parent` the parent of `code` would close a cycle. */
export async function wouldCycle(db: Executor<CatalogueDb>, code: string, parent: string): Promise<boolean> {
  const below = await agencySubtree(db, code);
  return below.some((a) => a.code === parent);
}

export async function updateAgency(
  db: Executor<CatalogueDb>,
  code: string,
  set: {
    name: string;
    parent_code: string | null;
    level: AgencyRow['level'];
    kind: string;
    receives_for: string[];
  },
): Promise<boolean> {
  const r = await db
    .updateTable('agencies')
    .set({ ...set, updated_at: sql<Date>`now()` })
    .where('code', '=', code)
    .returning('code')
    .executeTakeFirst();
  return r !== undefined;
}
