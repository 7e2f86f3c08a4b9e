import type { Executor } from '@tthc/db';
import { sql, type Insertable, type Selectable } from 'kysely';
import type { ReportsDb, ReportStatus, ReportTable } from './schema';

export type ReportRow = Selectable<ReportTable>;

export async function insertReport(
  db: Executor<ReportsDb>,
  row: Insertable<ReportTable>,
): Promise<ReportRow> {
  return db.insertInto('reports').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findReport(db: Executor<ReportsDb>, id: string): Promise<ReportRow | undefined> {
  return db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Moves a report forward; a finished report (done or failed) is never reopened. */
export async function setReportStatus(
  db: Executor<ReportsDb>,
  id: string,
  status: ReportStatus,
  extra: { artifact?: unknown; error?: string } = {},
): Promise<void> {
  const finished = status === 'done' || status === 'failed';
  await db
    .updateTable('reports')
    .set({
      status,
      ...(extra.artifact !== undefined ? { artifact: JSON.stringify(extra.artifact) } : {}),
      ...(extra.error !== undefined ? { error: extra.error.slice(0, 2000) } : {}),
      ...(finished ? { finished_at: new Date() } : {}),
    })
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .execute();
}

export interface ReportFilter {
  /** The caller's agency scope (undefined: province-wide): reports on those agencies only. */
  visibleTo?: readonly string[] | undefined;
  agencyCode?: string | undefined;
  kind?: string | undefined;
  status?: ReportStatus | undefined;
}

/** Keyset page, newest first; one row more than the limit says a next page exists. */
export async function listReports(
  db: Executor<ReportsDb>,
  f: ReportFilter,
  page: { after?: { at: string; id: string } | undefined; limit: number },
): Promise<ReportRow[]> {
  let q = db.selectFrom('reports').selectAll();
  if (f.visibleTo)
    q = f.visibleTo.length ? q.where('agency_code', 'in', [...f.visibleTo]) : q.where(sql<boolean>`false`);
  if (f.agencyCode) q = q.where('agency_code', '=', f.agencyCode);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.status) q = q.where('status', '=', f.status);
  if (page.after)
    q = q.where(sql<boolean>`(created_at, id) < (${page.after.at}::timestamptz, ${page.after.id}::uuid)`);
  return q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
}
