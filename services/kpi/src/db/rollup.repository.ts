import type { Executor } from '@tthc/db';
import { sql } from 'kysely';
import type { Contribution, Dims } from '../domain/contributions';
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
  const table = TABLE[side];
  const measures = MEASURES[side] as readonly string[];
  const sorted = [...rows].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
  for (const r of sorted) {
    const cols = measures.filter((m) => (r.measures as Record<string, number>)[m]);
    if (cols.length === 0) continue;
    const values = cols.map((m) => sql`${(r.measures as Record<string, number>)[m]}::integer`);
    await sql`
      insert into ${sql.table(table)} (day, agency_code, field_code, procedure_code, authority_level, channel, ${sql.join(cols.map((m) => sql.ref(snake(m))))})
      values (${r.day}::date, ${r.agencyCode}, ${r.fieldCode}, ${r.procedureCode}, ${r.authorityLevel}, ${r.channel}, ${sql.join(values)})
      on conflict (day, agency_code, field_code, procedure_code, authority_level, channel) do update set
      ${sql.join(cols.map((m) => sql`${sql.ref(snake(m))} = ${sql.table(table)}.${sql.ref(snake(m))} + excluded.${sql.ref(snake(m))}`))}`.execute(
      db,
    );
  }
}

function keyOf(r: Dims & { day: string }): string {
  return [r.day, r.agencyCode, r.fieldCode, r.procedureCode, r.authorityLevel, r.channel].join('|');
}

export interface RollupSum<M extends string> extends Dims {
  measures: Record<M, number>;
}

/** Sums of one rollup over the days of a period, by every dimension but the day. */
export async function sumRollup<S extends Side>(
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
  const { rows } = await sql<Record<string, string | number>>`
    select agency_code, field_code, procedure_code, authority_level, channel,
      ${sql.join(measures.map((m) => sql`sum(${sql.ref(snake(m))})::integer as ${sql.ref(m)}`))}
    from ${sql.table(TABLE[side])}
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

/** Writes many rollup rows at once (the rebuild), in chunks. */
export async function insertRollupRows(
  db: Executor<KpiDb>,
  side: Side,
  rows: Contribution<ReceivedMeasure | EndedMeasure>[],
): Promise<void> {
  const measures = MEASURES[side] as readonly string[];
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await sql`
      insert into ${sql.table(TABLE[side])} (day, agency_code, field_code, procedure_code, authority_level, channel, ${sql.join(measures.map((m) => sql.ref(snake(m))))})
      values ${sql.join(
        chunk.map(
          (r) =>
            sql`(${r.day}::date, ${r.agencyCode}, ${r.fieldCode}, ${r.procedureCode}, ${r.authorityLevel}, ${r.channel}, ${sql.join(
              measures.map((m) => sql`${(r.measures as Record<string, number>)[m] ?? 0}::integer`),
            )})`,
        ),
      )}`.execute(db);
  }
}

/** Holds off every consumer's rollup update until the caller's transaction ends (the rebuild). */
export async function lockRollups(db: Executor<KpiDb>): Promise<void> {
  await sql`lock table rollup_received_daily, rollup_ended_daily in exclusive mode`.execute(db);
}

/** Empties both rollups, or their rows of some days (the rebuild fills them again from the facts). */
export async function clearRollups(db: Executor<KpiDb>, days?: readonly string[]): Promise<void> {
  for (const table of Object.values(TABLE)) {
    if (days) await sql`delete from ${sql.table(table)} where day = any(${[...days]}::date[])`.execute(db);
    else await sql`truncate ${sql.table(table)}`.execute(db);
  }
}

/** Rows left at zero by contributions taken away (kept out of the sums' way). */
export async function pruneZeroRows(db: Executor<KpiDb>): Promise<void> {
  await sql`delete from rollup_received_daily where received = 0`.execute(db);
  await sql`delete from rollup_ended_daily where ended = 0`.execute(db);
}
