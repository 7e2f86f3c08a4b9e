import type { Executor } from '@tthc/db';
import type { Insertable, Selectable } from 'kysely';
import type { ReportsDb, ReportStatus, ReportTable } from './schema';

export type ReportRow = Selectable<ReportTable>;

export async function insertReport(db: Executor<ReportsDb>, row: Insertable<ReportTable>): Promise<ReportRow> {
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
