import type { Executor } from '@tthc/db';
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { KpiDb, ReconciliationRunTable } from './schema';

export type RunRow = Selectable<ReconciliationRunTable>;

export interface FactCellRow {
  agencyCode: string;
  day: string;
  status: string;
  ids: string[];
  codes: string[];
}

/** kpi's received dossiers of a span of days by agency, day of receipt and status now (unknown status read as received). */
export async function factCells(
  db: Executor<KpiDb>,
  span: { from: string; to: string; agencyCodes: readonly string[] | null },
): Promise<FactCellRow[]> {
  const agencies =
    span.agencyCodes === null ? sql`true` : sql`agency_code = any(${[...span.agencyCodes]}::text[])`;
  const { rows } = await sql<FactCellRow>`
    select agency_code as "agencyCode", to_char(received_day, 'YYYY-MM-DD') as day, coalesce(status, 'received') as status,
      array_agg(dossier_id::text order by dossier_id) as ids, array_agg(code order by dossier_id) as codes
    from dossiers
    where received_day between ${span.from}::date and ${span.to}::date and ${agencies}
    group by 1, 2, 3
    order by 1, 2, 3`.execute(db);
  return rows;
}

/** Days touched by some dossiers (their receipt and end), for a partial rollup rebuild. */
export async function daysOf(db: Executor<KpiDb>, dossierIds: readonly string[]): Promise<string[]> {
  if (dossierIds.length === 0) return [];
  const { rows } = await sql<{ day: string }>`
    select distinct to_char(d, 'YYYY-MM-DD') as day from dossiers, unnest(array[received_day, ended_day]) d
    where dossier_id = any(${[...dossierIds]}::uuid[]) and d is not null`.execute(db);
  return rows.map((r) => r.day);
}

export async function insertRun(
  db: Executor<KpiDb>,
  row: Insertable<ReconciliationRunTable>,
): Promise<RunRow> {
  return db.insertInto('reconciliation_runs').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findRun(db: Executor<KpiDb>, id: string): Promise<RunRow | undefined> {
  return db.selectFrom('reconciliation_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateRun(
  db: Executor<KpiDb>,
  id: string,
  set: Updateable<ReconciliationRunTable>,
): Promise<void> {
  await db.updateTable('reconciliation_runs').set(set).where('id', '=', id).execute();
}

/** Runs, newest first, after a keyset (created_at, id). */
export async function listRuns(
  db: Executor<KpiDb>,
  after: { at: string; id: string } | undefined,
  limit: number,
): Promise<RunRow[]> {
  let q = db.selectFrom('reconciliation_runs').selectAll();
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', new Date(after.at)),
        eb.and([eb('created_at', '=', new Date(after.at)), eb('id', '<', after.id)]),
      ]),
    );
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}
