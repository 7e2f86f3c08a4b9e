import type { Executor } from '@tthc/db';
import { sql, type Insertable, type Selectable } from 'kysely';
import type { ReportFileTable, ReportsDb, ReportStatus, ReportTable } from './schema';

export type ReportRow = Selectable<ReportTable>;
export type ReportFileMeta = Omit<Selectable<ReportFileTable>, 'content'>;

export async function insertReport(
  db: Executor<ReportsDb>,
  row: Insertable<ReportTable>,
): Promise<ReportRow> {
  return db.insertInto('reports').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findReport(db: Executor<ReportsDb>, id: string): Promise<ReportRow | undefined> {
  return db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The report locked for a change of its own (issue, a new version). */
export async function lockReport(db: Executor<ReportsDb>, id: string): Promise<ReportRow | undefined> {
  return db.selectFrom('reports').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function lastVersion(db: Executor<ReportsDb>, seriesId: string): Promise<number> {
  const r = await db
    .selectFrom('reports')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('series_id', '=', seriesId)
    .executeTakeFirst();
  return Number(r?.v ?? 0);
}

export async function issuedInSeries(db: Executor<ReportsDb>, seriesId: string): Promise<ReportRow[]> {
  return db
    .selectFrom('reports')
    .selectAll()
    .where('series_id', '=', seriesId)
    .where('issued_at', 'is not', null)
    .execute();
}

const OPEN: ReportStatus[] = ['queued', 'collecting', 'rendering'];

/**
 * Moves a report forward; a finished report (done or failed) is never reopened, so a render that
 * runs again after a crash cannot undo what was recorded. True when the row moved.
 */
export async function setReportStatus(
  db: Executor<ReportsDb>,
  id: string,
  status: ReportStatus,
  extra: { error?: string; document?: unknown; changes?: unknown; inputs?: unknown } = {},
  now: Date = new Date(),
): Promise<boolean> {
  const finished = status === 'done' || status === 'failed';
  const r = await db
    .updateTable('reports')
    .set({
      status,
      ...(extra.error !== undefined ? { error: extra.error.slice(0, 2000) } : {}),
      ...(extra.document !== undefined ? { document: JSON.stringify(extra.document) } : {}),
      ...(extra.changes !== undefined ? { changes: JSON.stringify(extra.changes) } : {}),
      ...(extra.inputs !== undefined ? { inputs: JSON.stringify(extra.inputs) } : {}),
      ...(finished ? { finished_at: now } : {}),
    })
    .where('id', '=', id)
    .where('status', 'in', OPEN)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function markIssued(db: Executor<ReportsDb>, id: string, by: string, at: Date): Promise<void> {
  await db
    .updateTable('reports')
    .set({ issued_at: at, issued_by: by })
    .where('id', '=', id)
    .where('issued_at', 'is', null)
    .execute();
}

/** Replaces a report's files (a render that ran again writes the same files once). */
export async function saveFiles(
  db: Executor<ReportsDb>,
  reportId: string,
  files: Omit<Insertable<ReportFileTable>, 'report_id'>[],
): Promise<void> {
  await db.deleteFrom('report_files').where('report_id', '=', reportId).execute();
  if (files.length > 0)
    await db
      .insertInto('report_files')
      .values(files.map((f) => ({ ...f, report_id: reportId })))
      .execute();
}

export async function listFiles(db: Executor<ReportsDb>, reportIds: string[]): Promise<ReportFileMeta[]> {
  if (reportIds.length === 0) return [];
  return db
    .selectFrom('report_files')
    .select(['report_id', 'format', 'content_type', 'file_name', 'sha256', 'size', 'created_at'])
    .where('report_id', 'in', reportIds)
    .orderBy('report_id')
    .orderBy('format')
    .execute();
}

export async function findFile(
  db: Executor<ReportsDb>,
  reportId: string,
  format: string,
): Promise<Selectable<ReportFileTable> | undefined> {
  return db
    .selectFrom('report_files')
    .selectAll()
    .where('report_id', '=', reportId)
    .where('format', '=', format)
    .executeTakeFirst();
}

export interface ReportFilter {
  /** The caller's agency scope (undefined: province-wide): reports on those agencies only. */
  visibleTo?: readonly string[] | undefined;
  agencyCode?: string | undefined;
  kind?: string | undefined;
  status?: ReportStatus | undefined;
  period?: string | undefined;
  issued?: boolean | undefined;
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
  if (f.period) q = q.where('period_label', '=', f.period);
  if (f.issued !== undefined) q = q.where('issued_at', f.issued ? 'is not' : 'is', null);
  if (page.after)
    q = q.where(sql<boolean>`(created_at, id) < (${page.after.at}::timestamptz, ${page.after.id}::uuid)`);
  return q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
}
