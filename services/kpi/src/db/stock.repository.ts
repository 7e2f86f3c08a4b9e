import type { Executor } from '@tthc/db';
import { sql } from 'kysely';
import type { Dims } from '../domain/contributions';
import type { Scope } from '../domain/scope';
import type { KpiDb } from './schema';

/** The stocks of a scope at the end of a day, per group: in progress, and overdue in each view. */
export interface StockRow extends Dims {
  inProgress: number;
  legalOverdue: number;
  indOverdue: number;
}

/**
 * The rows of stock_deltas whose changes make the stock at the end of a day (migration
 * 202612040101): the years before its year, the months of its year before its month, the days of
 * its month up to it. At most (years of history + 11 + 31) keys per group, however long the
 * history, each a row or, until the next compaction, a few (migration 202612070101).
 */
function upTo(day: string) {
  const year = `${day.slice(0, 4)}-01-01`;
  const month = `${day.slice(0, 7)}-01`;
  return sql<boolean>`((grain = 'y' and start < ${year}::date)
    or (grain = 'm' and start >= ${year}::date and start < ${month}::date)
    or (grain = 'd' and start >= ${month}::date and start <= ${day}::date))`;
}

/**
 * Stocks at the end of some days (a period's two: before it and at its end), per group, of the
 * dossiers judged (their stock spans written; the others are judged from their timelines, see
 * unjudgedOnDays): sums of the stocks' daily changes, one indexed query.
 */
export async function stocksOnDays(
  db: Executor<KpiDb>,
  scope: Scope,
  days: readonly string[],
): Promise<Map<string, StockRow[]>> {
  const out = new Map<string, StockRow[]>(days.map((d) => [d, []]));
  const list = [...new Set(days)];
  if (list.length === 0) return out;
  const filters = [sql<boolean>`(${sql.join(list.map(upTo), sql` or `)})`];
  if (scope.agencyCodes !== null)
    filters.push(sql<boolean>`agency_code = any(${[...scope.agencyCodes]}::text[])`);
  if (scope.fieldCode !== null) filters.push(sql<boolean>`field_code = ${scope.fieldCode}`);
  if (scope.procedureCode !== null) filters.push(sql<boolean>`procedure_code = ${scope.procedureCode}`);
  const { rows } = await sql<Record<string, string | number>>`
    select agency_code, field_code, procedure_code, authority_level, channel,
      ${sql.join(
        list.map(
          (day, i) => sql`
            sum(in_progress) filter (where ${upTo(day)})::integer as ${sql.ref(`p${i}`)},
            sum(legal_overdue) filter (where ${upTo(day)})::integer as ${sql.ref(`l${i}`)},
            sum(ind_overdue) filter (where ${upTo(day)})::integer as ${sql.ref(`i${i}`)}`,
        ),
      )}
    from stock_deltas
    where ${sql.join(filters, sql` and `)}
    group by agency_code, field_code, procedure_code, authority_level, channel`.execute(db);
  list.forEach((day, i) => {
    const stocks = out.get(day) as StockRow[];
    for (const r of rows) {
      const inProgress = Number(r[`p${i}`] ?? 0);
      if (inProgress === 0) continue;
      stocks.push({
        agencyCode: String(r['agency_code']),
        fieldCode: String(r['field_code']),
        procedureCode: String(r['procedure_code']),
        authorityLevel: String(r['authority_level']),
        channel: String(r['channel']) as Dims['channel'],
        inProgress,
        legalOverdue: Number(r[`l${i}`] ?? 0),
        indOverdue: Number(r[`i${i}`] ?? 0),
      });
    }
  });
  return out;
}

/** Every dossier's stock changes again from their rows (the rebuild; the trigger keeps them after). */
export async function refillStockDeltas(db: Executor<KpiDb>): Promise<void> {
  await sql`select refill_stock_deltas()`.execute(db);
}

/**
 * Folds the rows of at most `maxKeys` keys with changes appended since into one row each (migration
 * 202612070101); answers how many keys it folded. Safe beside the writers and another compaction.
 */
export async function compactStockDeltas(db: Executor<KpiDb>, maxKeys: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`select compact_stock_deltas(${maxKeys}::integer) as n`.execute(
    db,
  );
  return rows[0]?.n ?? 0;
}
