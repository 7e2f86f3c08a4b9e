import type { Executor } from '@tthc/db';
import { sql, type Insertable, type Selectable } from 'kysely';
import type { ReportScheduleTable, ReportsDb } from './schema';

export type ScheduleRow = Selectable<ReportScheduleTable>;

export async function insertSchedule(
  db: Executor<ReportsDb>,
  row: Insertable<ReportScheduleTable>,
): Promise<ScheduleRow> {
  return db.insertInto('report_schedules').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listSchedules(
  db: Executor<ReportsDb>,
  f: { visibleTo?: readonly string[] | undefined; enabledOnly?: boolean },
): Promise<ScheduleRow[]> {
  let q = db.selectFrom('report_schedules').selectAll();
  if (f.visibleTo)
    q = f.visibleTo.length ? q.where('agency_code', 'in', [...f.visibleTo]) : q.where(sql<boolean>`false`);
  if (f.enabledOnly) q = q.where('enabled', '=', true);
  return q.orderBy('created_at').orderBy('id').execute();
}

export async function findSchedule(db: Executor<ReportsDb>, id: string): Promise<ScheduleRow | undefined> {
  return db.selectFrom('report_schedules').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function disableSchedule(db: Executor<ReportsDb>, id: string): Promise<void> {
  await db.updateTable('report_schedules').set({ enabled: false }).where('id', '=', id).execute();
}

/** Whether the schedule already asked for its report of the period. */
export async function scheduledReportExists(
  db: Executor<ReportsDb>,
  scheduleId: string,
  periodLabel: string,
): Promise<boolean> {
  const r = await db
    .selectFrom('reports')
    .select('id')
    .where('schedule_id', '=', scheduleId)
    .where('period_label', '=', periodLabel)
    .executeTakeFirst();
  return r !== undefined;
}
