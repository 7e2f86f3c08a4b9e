import type { Executor } from '@tthc/db';
import { sql } from 'kysely';
import type { Contribution, Dims } from '../domain/contributions';
import type { LateChange } from '../domain/late-changes';
import type { Scope } from '../domain/scope';
import {
  ENDED_MEASURES,
  RECEIVED_MEASURES,
  type EndedMeasure,
  type ReceivedMeasure,
} from '../domain/measures';
import type { KpiDb } from './schema';

const snake = (m: string) => m.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

type Side = 'received' | 'ended';
const TABLE = { received: 'rollup_received_daily', ended: 'rollup_ended_daily' } as const;
const LATE_TABLE = { received: 'rollup_received_late', ended: 'rollup_ended_late' } as const;
const MEASURES = { received: RECEIVED_MEASURES, ended: ENDED_MEASURES } as const;

/**
 * Adds contributions (negative ones take earlier contributions away) to the daily rollups, in the
 * caller's transaction. Rows are upserted in key order, so concurrent transactions never deadlock.
 */
export async function addToRollups(
  db: Executor<KpiDb>,
  side: Side,
  rows: Contribution<ReceivedMeasure | EndedMeasure>[],
): Promise<void> {
  await upsertAdding(db, TABLE[side], MEASURES[side], rows, false);
}

/** Adds changes made after their day (domain/late-changes.ts) to the late rollups, as addToRollups. */
export async function addToLateRollups(
  db: Executor<KpiDb>,
  side: Side,
  rows: LateChange<ReceivedMeasure | EndedMeasure>[],
): Promise<void> {
  await upsertAdding(db, LATE_TABLE[side], MEASURES[side], rows, true);
}

/** One statement per side: every row at once, in key order (so concurrent writers never deadlock). */
async function upsertAdding(
  db: Executor<KpiDb>,
  table: string,
  all: readonly string[],
  rows: (Contribution<string> & { changedDay?: string })[],
  late: boolean,
): Promise<void> {
  const summed = new Map<string, Contribution<string> & { changedDay?: string }>();
  for (const r of rows) {
    const key = keyOf(r) + (late ? `|${r.changedDay}` : '');
    const acc = summed.get(key) ?? { ...r, measures: {} };
    const sums = acc.measures as Record<string, number>;
    for (const [m, v] of Object.entries(r.measures) as [string, number][]) sums[m] = (sums[m] ?? 0) + v;
    summed.set(key, acc);
  }
  const sorted = [...summed.entries()]
    .filter(([, r]) => Object.values(r.measures as Record<string, number>).some((v) => v !== 0))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => r);
  if (sorted.length === 0) return;
  const measures = all.filter((m) => sorted.some((r) => (r.measures as Record<string, number>)[m]));
  const keyCols = late
    ? ['day', 'changed_day', 'agency_code', 'field_code', 'procedure_code', 'authority_level', 'channel']
    : ['day', 'agency_code', 'field_code', 'procedure_code', 'authority_level', 'channel'];
  const values = sorted.map(
    (r) =>
      sql`(${sql.join([
        sql`${r.day}::date`,
        ...(late ? [sql`${r.changedDay}::date`] : []),
        sql`${r.agencyCode}`,
        sql`${r.fieldCode}`,
        sql`${r.procedureCode}`,
        sql`${r.authorityLevel}`,
        sql`${r.channel}`,
        ...measures.map((m) => sql`${(r.measures as Record<string, number>)[m] ?? 0}::integer`),
      ])})`,
  );
  await sql`
    insert into ${sql.table(table)} (${sql.join(keyCols.map((c) => sql.ref(c)))}, ${sql.join(measures.map((m) => sql.ref(snake(m))))})
    values ${sql.join(values)}
    on conflict (${sql.join(keyCols.map((c) => sql.ref(c)))}) do update set
    ${sql.join(measures.map((m) => sql`${sql.ref(snake(m))} = ${sql.table(table)}.${sql.ref(snake(m))} + excluded.${sql.ref(snake(m))}`))}`.execute(
    db,
  );
}

function keyOf(r: Dims & { day: string }): string {
  return [r.day, r.agencyCode, r.fieldCode, r.procedureCode, r.authorityLevel, r.channel].join('|');
}

export interface RollupSum<M extends string> extends Dims {
  measures: Record<M, number>;
}

/**
 * Sums of one rollup over the days of a period, by every dimension but the day; with `late`, the
 * sums of the changes to those days made after the period's last day (to take away).
 */
export async function sumRollup<S extends Side>(
  db: Executor<KpiDb>,
  side: S,
  scope: Scope,
  from: string,
  to: string,
  late = false,
): Promise<RollupSum<S extends 'received' ? ReceivedMeasure : EndedMeasure>[]> {
  const measures = MEASURES[side] as readonly string[];
  const filters = [sql`day between ${from}::date and ${to}::date`];
  if (late) filters.push(sql`changed_day > ${to}::date`);
  if (scope.agencyCodes !== null) filters.push(sql`agency_code = any(${[...scope.agencyCodes]}::text[])`);
  if (scope.fieldCode !== null) filters.push(sql`field_code = ${scope.fieldCode}`);
  if (scope.procedureCode !== null) filters.push(sql`procedure_code = ${scope.procedureCode}`);
  const { rows } = await sql<Record<string, string | number>>`
    select agency_code, field_code, procedure_code, authority_level, channel,
      ${sql.join(measures.map((m) => sql`sum(${sql.ref(snake(m))})::integer as ${sql.ref(m)}`))}
    from ${sql.table((late ? LATE_TABLE : TABLE)[side])}
    where ${sql.join(filters, sql` and `)}
    group by agency_code, field_code, procedure_code, authority_level, channel`.execute(db);
  return rows.map((r) => ({
    agencyCode: String(r['agency_code']),
    fieldCode: String(r['field_code']),
    procedureCode: String(r['procedure_code']),
    authorityLevel: String(r['authority_level']),
    channel: String(r['channel']) as Dims['channel'],
    measures: Object.fromEntries(measures.map((m) => [m, Number(r[m])])) as Record<
      S extends 'received' ? ReceivedMeasure : EndedMeasure,
      number
    >,
  }));
}

/**
 * Sums of one rollup over the days of a period as of the period's end, by every dimension but
 * the day: the rollups over its days minus the changes to those days made after its last day
 * (domain/late-changes.ts), in one query.
 */
export async function sumRollupAsOfEnd<S extends Side>(
  db: Executor<KpiDb>,
  side: S,
  scope: Scope,
  from: string,
  to: string,
): Promise<RollupSum<S extends 'received' ? ReceivedMeasure : EndedMeasure>[]> {
  const measures = MEASURES[side] as readonly string[];
  const filters = [sql`day between ${from}::date and ${to}::date`];
  if (scope.agencyCodes !== null) filters.push(sql`agency_code = any(${[...scope.agencyCodes]}::text[])`);
  if (scope.fieldCode !== null) filters.push(sql`field_code = ${scope.fieldCode}`);
  if (scope.procedureCode !== null) filters.push(sql`procedure_code = ${scope.procedureCode}`);
  const dims = sql`agency_code, field_code, procedure_code, authority_level, channel`;
  const where = sql.join(filters, sql` and `);
  const { rows } = await sql<Record<string, string | number>>`
    select ${dims}, ${sql.join(measures.map((m) => sql`sum(${sql.ref(snake(m))})::integer as ${sql.ref(m)}`))}
    from (
      select ${dims}, ${sql.join(measures.map((m) => sql.ref(snake(m))))}
      from ${sql.table(TABLE[side])} where ${where}
      union all
      select ${dims}, ${sql.join(measures.map((m) => sql`-${sql.ref(snake(m))}`))}
      from ${sql.table(LATE_TABLE[side])} where ${where} and changed_day > ${to}::date
    ) as r
    group by ${dims}`.execute(db);
  return rows.map((r) => ({
    agencyCode: String(r['agency_code']),
    fieldCode: String(r['field_code']),
    procedureCode: String(r['procedure_code']),
    authorityLevel: String(r['authority_level']),
    channel: String(r['channel']) as Dims['channel'],
    measures: Object.fromEntries(measures.map((m) => [m, Number(r[m])])) as Record<
      S extends 'received' ? ReceivedMeasure : EndedMeasure,
      number
    >,
  }));
}

/** Writes many rollup rows at once (the rebuild), in chunks. */
export async function insertRollupRows(
  db: Executor<KpiDb>,
  side: Side,
  rows: Contribution<ReceivedMeasure | EndedMeasure>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await upsertAdding(db, TABLE[side], MEASURES[side], rows.slice(i, i + 500), false);
}

/** Writes many late-change rows at once (the rebuild, the bulk generator), in chunks. */
export async function insertLateRows(
  db: Executor<KpiDb>,
  side: Side,
  rows: LateChange<ReceivedMeasure | EndedMeasure>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await upsertAdding(db, LATE_TABLE[side], MEASURES[side], rows.slice(i, i + 500), true);
}

/** Holds off every consumer's rollup update until the caller's transaction ends (the rebuild). */
export async function lockRollups(db: Executor<KpiDb>): Promise<void> {
  await sql`lock table rollup_received_daily, rollup_ended_daily, rollup_received_late, rollup_ended_late, stock_deltas in exclusive mode`.execute(
    db,
  );
}

/** Empties both rollups, or their rows of some days (the rebuild fills them again from the facts). */
export async function clearRollups(db: Executor<KpiDb>, days?: readonly string[]): Promise<void> {
  for (const table of [...Object.values(TABLE), ...Object.values(LATE_TABLE)]) {
    if (days) await sql`delete from ${sql.table(table)} where day = any(${[...days]}::date[])`.execute(db);
    else await sql`truncate ${sql.table(table)}`.execute(db);
  }
}

/** Rows left at zero by contributions taken away (kept out of the sums' way). */
export async function pruneZeroRows(db: Executor<KpiDb>): Promise<void> {
  await sql`delete from rollup_received_daily where received = 0`.execute(db);
  await sql`delete from rollup_ended_daily where ended = 0`.execute(db);
}
