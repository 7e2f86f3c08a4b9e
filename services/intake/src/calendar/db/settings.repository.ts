import type { Executor } from '@tthc/db';
import { sql, type Insertable, type RawBuilder, type Selectable } from 'kysely';
import type { CalendarOverrideTable, IntakeDb, RuleSetTable } from '../../db/schema';

export type OverrideRow = Selectable<CalendarOverrideTable>;

export async function listRuleSets(db: Executor<IntakeDb>): Promise<Selectable<RuleSetTable>[]> {
  return db.selectFrom('rule_sets').selectAll().orderBy('effective_from').execute();
}

export async function insertRuleSet(db: Executor<IntakeDb>, row: Insertable<RuleSetTable>): Promise<boolean> {
  const r = await db
    .insertInto('rule_sets')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function listOverrides(db: Executor<IntakeDb>, year?: number): Promise<OverrideRow[]> {
  let q = db.selectFrom('calendar_overrides').selectAll().orderBy('date');
  if (year !== undefined) q = q.where('date', '>=', `${year}-01-01`).where('date', '<=', `${year}-12-31`);
  return q.execute();
}

export async function upsertOverride(
  db: Executor<IntakeDb>,
  row: Insertable<CalendarOverrideTable>,
): Promise<void> {
  await db
    .insertInto('calendar_overrides')
    .values(row)
    .onConflict((oc) =>
      oc.column('date').doUpdateSet((eb) => ({
        kind: eb.ref('excluded.kind'),
        reason: eb.ref('excluded.reason'),
        source: eb.ref('excluded.source'),
        updated_by: eb.ref('excluded.updated_by'),
        updated_at: sql<Date>`now()`,
      })),
    )
    .execute();
}

export async function deleteOverride(db: Executor<IntakeDb>, date: string): Promise<boolean> {
  const r = await db
    .deleteFrom('calendar_overrides')
    .where('date', '=', date)
    .returning('date')
    .executeTakeFirst();
  return r !== undefined;
}

/**
 * Replaces the override rows of a year by `rows`, returning the rows it replaced. The table is
 * locked against other writers for the transaction, so two loads (or a load and a single edit)
 * cannot interleave and leave a mix of both.
 */
export async function replaceYearOverrides(
  db: Executor<IntakeDb>,
  year: number,
  rows: Insertable<CalendarOverrideTable>[],
): Promise<OverrideRow[]> {
  await sql`lock table calendar_overrides in share row exclusive mode`.execute(db);
  const previous = await db
    .deleteFrom('calendar_overrides')
    .where('date', '>=', `${year}-01-01`)
    .where('date', '<=', `${year}-12-31`)
    .returningAll()
    .execute();
  if (rows.length > 0) await db.insertInto('calendar_overrides').values(rows).execute();
  return previous.sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * A fingerprint of the override table and the rule sets (their parameters included): it changes
 * whenever either does. An expression, so a writing statement can check it in its own snapshot
 * (receipt.repository.ts) instead of a query of its own before it.
 */
export const settingsStampSql: RawBuilder<string> = sql<string>`(
  (select count(*) || ':' || coalesce(max(updated_at)::text, '') from calendar_overrides)
  || '/' || (select coalesce(md5(string_agg(id || params::text, ',' order by id)), '') from rule_sets))`;

/** The fingerprint now (settingsStampSql). */
export async function settingsStamp(db: Executor<IntakeDb>): Promise<string> {
  const { rows } = await sql<{ stamp: string }>`select ${settingsStampSql} as stamp`.execute(db);
  return rows[0]!.stamp;
}
