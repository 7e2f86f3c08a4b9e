import type { Executor } from '@tthc/db';
import { sql, type Insertable, type Selectable } from 'kysely';
import type { KpiDb, ProcedureStatusChangeTable, ProcedureVersionTable } from './schema';

export type ProcedureVersionRow = Selectable<ProcedureVersionTable>;
export type ProcedureStatusRow = Selectable<ProcedureStatusChangeTable>;

/**
 * Keeps a procedure version (an older event about the same version never overwrites a newer
 * one), then recomputes every version's end of validity: the next version's start.
 */
export async function upsertProcedureVersion(
  db: Executor<KpiDb>,
  row: Insertable<ProcedureVersionTable>,
): Promise<void> {
  const { code: _c, version: _v, ...update } = row;
  await db
    .insertInto('procedure_versions')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['code', 'version'])
        .doUpdateSet(update)
        .where('procedure_versions.event_version', '<=', row.event_version),
    )
    .execute();
  await sql`
    update procedure_versions p set valid_to = n.next_from
    from (select code, version, lead(valid_from) over (partition by code order by valid_from, version) as next_from
          from procedure_versions where code = ${row.code}) n
    where p.code = n.code and p.version = n.version and p.valid_to is distinct from n.next_from`.execute(db);
}

export async function addProcedureStatus(
  db: Executor<KpiDb>,
  row: Insertable<ProcedureStatusChangeTable>,
): Promise<void> {
  await db
    .insertInto('procedure_status_changes')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function procedureLevel(
  db: Executor<KpiDb>,
  code: string,
  version: number,
): Promise<string | null> {
  const row = await db
    .selectFrom('procedure_versions')
    .select('authority_level')
    .where('code', '=', code)
    .where('version', '=', version)
    .executeTakeFirst();
  return row?.authority_level ?? null;
}

/** Every version and status change of the procedures some agencies decide (null: all). */
export async function procedureHistory(
  db: Executor<KpiDb>,
  agencyCodes: readonly string[] | null,
): Promise<{ versions: ProcedureVersionRow[]; statuses: ProcedureStatusRow[] }> {
  let v = db.selectFrom('procedure_versions').selectAll();
  if (agencyCodes !== null)
    v = v.where('deciding_agency_code', 'in', agencyCodes.length ? [...agencyCodes] : ['']);
  const versions = await v.orderBy('code').orderBy('version').execute();
  const codes = [...new Set(versions.map((r) => r.code))];
  const statuses = codes.length
    ? await db
        .selectFrom('procedure_status_changes')
        .selectAll()
        .where('code', 'in', codes)
        .orderBy('code')
        .orderBy('effective_from')
        .orderBy('event_version')
        .execute()
    : [];
  return { versions, statuses };
}

/** The name of each procedure code (its newest version's). */
export async function procedureNames(
  db: Executor<KpiDb>,
  codes: readonly string[],
): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('procedure_versions')
    .select(['code', 'name'])
    .distinctOn('code')
    .where('code', 'in', [...codes])
    .orderBy('code')
    .orderBy('version', 'desc')
    .execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}
