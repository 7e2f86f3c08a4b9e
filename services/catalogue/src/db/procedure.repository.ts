import type { Executor } from '@tthc/db';
import { sql, type Insertable, type Selectable } from 'kysely';
import type {
  CatalogueDb,
  HistoryAction,
  ProcedureHistoryTable,
  ProcedureStatus,
  ProcedureTable,
  ProcedureVersionTable,
} from './schema';

export type ProcedureRow = Selectable<ProcedureTable>;
export type VersionRow = Selectable<ProcedureVersionTable>;
export type HistoryRow = Selectable<ProcedureHistoryTable>;

/** A procedure as seen on a date: the version in force (or its last one) and its status then. */
export type ProcedureView = VersionRow & {
  id: string;
  status: ProcedureStatus;
  current_version: number;
  row_version: number;
};

export async function insertProcedure(
  db: Executor<CatalogueDb>,
  row: Insertable<ProcedureTable>,
): Promise<boolean> {
  const r = await db
    .insertInto('procedures')
    .values(row)
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function insertVersion(
  db: Executor<CatalogueDb>,
  row: Insertable<ProcedureVersionTable>,
): Promise<void> {
  await db.insertInto('procedure_versions').values(row).execute();
}

export async function updateVersion(
  db: Executor<CatalogueDb>,
  procedureId: string,
  version: number,
  set: Partial<Insertable<ProcedureVersionTable>>,
): Promise<void> {
  await db
    .updateTable('procedure_versions')
    .set(set)
    .where('procedure_id', '=', procedureId)
    .where('version', '=', version)
    .execute();
}

export async function appendHistory(
  db: Executor<CatalogueDb>,
  row: Insertable<ProcedureHistoryTable>,
): Promise<void> {
  await db.insertInto('procedure_history').values(row).execute();
}

/**
 * Moves the procedure on only if nobody else did since the caller read it (row_version is the
 * ETag). Returns false when the version was stale: the caller answers 412 and writes nothing.
 */
export async function advanceProcedure(
  db: Executor<CatalogueDb>,
  id: string,
  expectedRowVersion: number,
  set: { status?: ProcedureStatus; current_version?: number },
): Promise<number | undefined> {
  const row = await db
    .updateTable('procedures')
    .set((eb) => ({ ...set, row_version: eb('row_version', '+', 1), updated_at: sql<Date>`now()` }))
    .where('id', '=', id)
    .where('row_version', '=', expectedRowVersion)
    .returning('row_version')
    .executeTakeFirst();
  return row?.row_version;
}

export async function findProcedure(
  db: Executor<CatalogueDb>,
  code: string,
  forUpdate = false,
): Promise<ProcedureRow | undefined> {
  let q = db.selectFrom('procedures').selectAll().where('code', '=', code);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function findVersion(
  db: Executor<CatalogueDb>,
  procedureId: string,
  version: number,
): Promise<VersionRow | undefined> {
  return db
    .selectFrom('procedure_versions')
    .selectAll()
    .where('procedure_id', '=', procedureId)
    .where('version', '=', version)
    .executeTakeFirst();
}

export async function listVersions(db: Executor<CatalogueDb>, procedureId: string): Promise<VersionRow[]> {
  return db
    .selectFrom('procedure_versions')
    .selectAll()
    .where('procedure_id', '=', procedureId)
    .orderBy('version')
    .execute();
}

export async function listHistory(db: Executor<CatalogueDb>, procedureId: string): Promise<HistoryRow[]> {
  return db
    .selectFrom('procedure_history')
    .selectAll()
    .where('procedure_id', '=', procedureId)
    .orderBy('id')
    .execute();
}

/**
 * The decision that abolished a procedure (its last 'abolished' history entry), if any; with
 * `signedBy`, only one signed on or before that date (the record as it could be read then).
 */
export async function findAbolition(
  db: Executor<CatalogueDb>,
  procedureId: string,
  signedBy?: string,
): Promise<HistoryRow | undefined> {
  let q = db
    .selectFrom('procedure_history')
    .selectAll()
    .where('procedure_id', '=', procedureId)
    .where('action', '=', 'abolished');
  if (signedBy !== undefined) q = q.where('decision_signed_on', '<=', signedBy);
  return q.orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** The published version whose validity window contains the date. */
export async function versionInForce(
  db: Executor<CatalogueDb>,
  procedureId: string,
  date: string,
): Promise<VersionRow | undefined> {
  return db
    .selectFrom('procedure_versions')
    .selectAll()
    .where('procedure_id', '=', procedureId)
    .where('state', '=', 'published')
    .where('valid_from', '<=', date)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', date)]))
    .orderBy('valid_from', 'desc')
    .executeTakeFirst();
}

/** Status on a date: the last lifecycle change in effect by then (draft before the first publication). */
export async function statusOn(
  db: Executor<CatalogueDb>,
  procedureId: string,
  date: string,
): Promise<ProcedureStatus> {
  const row = await db
    .selectFrom('procedure_history')
    .select('status_after')
    .where('procedure_id', '=', procedureId)
    .where('effective_from', '<=', date)
    .orderBy('effective_from', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row?.status_after ?? 'draft';
}

export interface ProcedureFilter {
  asOf: string;
  fieldCode?: string | undefined;
  agencyCodes?: string[] | undefined;
  authorityLevel?: string | undefined;
  onlineLevel?: string | undefined;
  /** Legacy levels to keep; null stands for records without one. */
  legacyLevels?: (number | null)[] | undefined;
  status?: ProcedureStatus | undefined;
  feeBearing?: boolean | undefined;
  complete?: boolean | undefined;
  q?: string | undefined;
}

/**
 * Every procedure as of a date, as a derived table: the latest published version that had
 * started by then (an abolished procedure keeps its last one) or, never published, its draft;
 * and the status then from the history. Lists and statistics are built on it.
 */
export function asOfView(filter: ProcedureFilter) {
  const d = filter.asOf;
  const conditions = [sql`true`];
  if (filter.fieldCode) conditions.push(sql`v.field_code = ${filter.fieldCode}`);
  if (filter.agencyCodes) {
    conditions.push(
      sql`(v.deciding_agency_code in (${sql.join(filter.agencyCodes)}) or v.receiving_agency_code in (${sql.join(filter.agencyCodes)}))`,
    );
  }
  if (filter.authorityLevel) conditions.push(sql`v.authority_level = ${filter.authorityLevel}`);
  if (filter.onlineLevel) conditions.push(sql`v.online_level = ${filter.onlineLevel}`);
  if (filter.legacyLevels) {
    const levels = filter.legacyLevels.filter((l): l is number => l !== null);
    const alternatives = [sql`false`];
    if (levels.length > 0) alternatives.push(sql`v.legacy_level in (${sql.join(levels)})`);
    if (filter.legacyLevels.includes(null)) alternatives.push(sql`v.legacy_level is null`);
    conditions.push(sql`(${sql.join(alternatives, sql` or `)})`);
  }
  if (filter.status) conditions.push(sql`coalesce(s.status_after, 'draft') = ${filter.status}`);
  if (filter.feeBearing !== undefined) conditions.push(sql`v.fee_bearing = ${filter.feeBearing}`);
  if (filter.complete !== undefined) conditions.push(sql`v.complete = ${filter.complete}`);
  for (const word of (filter.q ?? '').split(/\s+/).filter(Boolean)) {
    const pattern = `%${word.replace(/[\\%_]/g, '\\$&')}%`;
    conditions.push(sql`f_unaccent(v.name || ' ' || v.code) like f_unaccent(${pattern})`);
  }
  return sql`(
    select v.*, p.id, p.current_version, p.row_version, coalesce(s.status_after, 'draft') as status
    from procedures p
    join lateral (
      select pv.* from procedure_versions pv
      where pv.procedure_id = p.id
        and ((pv.state = 'published' and pv.valid_from <= ${d}) or pv.state = 'draft')
      order by (pv.state = 'published') desc, pv.valid_from desc nulls last, pv.version desc
      limit 1
    ) v on true
    left join lateral (
      select h.status_after from procedure_history h
      where h.procedure_id = p.id and h.effective_from <= ${d}
      order by h.effective_from desc, h.id desc
      limit 1
    ) s on true
    where ${sql.join(conditions, sql` and `)}
  )`;
}

export type SortKey = 'name' | 'code';

export async function listProcedures(
  db: Executor<CatalogueDb>,
  filter: ProcedureFilter,
  page: { sort: SortKey; after?: { key: string; code: string } | undefined; limit: number },
): Promise<ProcedureView[]> {
  const view = asOfView(filter);
  const keyset = page.after
    ? page.sort === 'name'
      ? sql`where (x.name collate vi, x.code) > (${page.after.key}::text collate vi, ${page.after.code}::text)`
      : sql`where x.code > ${page.after.code}`
    : sql``;
  const order = page.sort === 'name' ? sql`order by x.name collate vi, x.code` : sql`order by x.code`;
  const result =
    await sql<ProcedureView>`select * from ${view} x ${keyset} ${order} limit ${page.limit + 1}`.execute(db);
  return result.rows;
}

export async function countProcedures(db: Executor<CatalogueDb>, filter: ProcedureFilter): Promise<number> {
  const result = await sql<{ n: number }>`select count(*)::int as n from ${asOfView(filter)} x`.execute(db);
  return result.rows[0]?.n ?? 0;
}

export interface CountRow {
  field_code: string;
  online_level: string;
  legacy_level: number | null;
  status: ProcedureStatus;
  n: number;
  fee_bearing: number;
  complete: number;
}

/** Counts by field × online level × legacy level × status as of the view's date. */
export async function countByFieldLevelStatus(
  db: Executor<CatalogueDb>,
  filter: ProcedureFilter,
): Promise<CountRow[]> {
  const result = await sql<CountRow>`
    select x.field_code, x.online_level, x.legacy_level, x.status, count(*)::int as n,
           count(*) filter (where x.fee_bearing)::int as fee_bearing,
           count(*) filter (where x.complete)::int as complete
    from ${asOfView(filter)} x
    group by x.field_code, x.online_level, x.legacy_level, x.status
    order by x.field_code, x.online_level, x.legacy_level nulls last, x.status`.execute(db);
  return result.rows;
}

/**
 * The procedures in force as of the view's date received at a one-stop desk, by receiving agency
 * and field: the receiving agency is a public administration service centre, or a district or
 * commune people committee (its Bộ phận Một cửa, Nghị định 61/2018/NĐ-CP).
 */
export async function countAtOneStopDesks(
  db: Executor<CatalogueDb>,
  filter: ProcedureFilter,
): Promise<
  {
    agency_code: string;
    name: string;
    kind: 'service_center' | 'people_committee';
    field_code: string;
    n: number;
  }[]
> {
  const result = await sql<{
    agency_code: string;
    name: string;
    kind: 'service_center' | 'people_committee';
    field_code: string;
    n: number;
  }>`
    select a.code as agency_code, a.name, a.kind, x.field_code, count(*)::int as n
    from ${asOfView(filter)} x
    join agencies a on a.code = x.receiving_agency_code
    where x.status = 'published' and a.kind in ('service_center', 'people_committee')
    group by a.code, a.name, a.kind, x.field_code
    order by a.code, x.field_code`.execute(db);
  return result.rows;
}

export interface PeriodChangeRow {
  code: string;
  name: string;
  field_code: string;
  action: HistoryAction;
  version: number;
  decision_number: string | null;
  decision_signed_on: string | null;
  effective_from: string;
  national_published_on: string | null;
  legal_basis_effective: string | null;
}

/** Publications, amendments and abolitions taking effect in [from, to], with their decisions. */
export async function changesInPeriod(
  db: Executor<CatalogueDb>,
  range: { from: string; to: string; agencyCodes?: string[] | undefined },
): Promise<PeriodChangeRow[]> {
  const agencyFilter = range.agencyCodes
    ? sql`and (v.deciding_agency_code in (${sql.join(range.agencyCodes)}) or v.receiving_agency_code in (${sql.join(range.agencyCodes)}))`
    : sql``;
  const result = await sql<PeriodChangeRow>`
    select v.code, v.name, v.field_code, h.action, h.version, h.decision_number,
           to_char(h.decision_signed_on, 'YYYY-MM-DD') as decision_signed_on,
           to_char(h.effective_from, 'YYYY-MM-DD') as effective_from,
           to_char(v.national_published_on, 'YYYY-MM-DD') as national_published_on,
           (select max((lb->>'effectiveFrom')) from jsonb_array_elements(v.content->'legalBasis') lb) as legal_basis_effective
    from procedure_history h
    join procedure_versions v on v.procedure_id = h.procedure_id and v.version = h.version
    where h.action in ('published', 'amended', 'abolished')
      and h.effective_from between ${range.from} and ${range.to}
      ${agencyFilter}
    order by h.effective_from, v.code, h.id`.execute(db);
  return result.rows;
}

export async function hasAnyProcedure(db: Executor<CatalogueDb>): Promise<boolean> {
  return (await db.selectFrom('procedures').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** Every procedure as of a date (no paging), for exports. */
export async function allAsOf(db: Executor<CatalogueDb>, filter: ProcedureFilter): Promise<ProcedureView[]> {
  const result = await sql<ProcedureView>`select * from ${asOfView(filter)} x order by x.code`.execute(db);
  return result.rows;
}
