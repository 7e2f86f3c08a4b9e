import { sql, type Kysely } from 'kysely';

/**
 * The stocks' changes summed per key, the keys at zero left out, in key order: what the figures
 * read, however many rows the trigger appended for a key and whether a compaction folded them yet
 * (migration 202612070101). `table` names the table where the schema is not on the search path.
 */
export async function stockTotals(db: Kysely<any>, table = 'stock_deltas') {
  const { rows } = await sql<Record<string, unknown>>`
    select grain, start::text, agency_code, field_code, procedure_code, authority_level, channel,
      sum(in_progress)::int as in_progress, sum(legal_overdue)::int as legal_overdue,
      sum(ind_overdue)::int as ind_overdue
    from ${sql.table(table)}
    group by grain, start, agency_code, field_code, procedure_code, authority_level, channel
    having (sum(in_progress), sum(legal_overdue), sum(ind_overdue)) <> (0, 0, 0)
    order by 1, 2, 3, 4, 5, 6, 7`.execute(db);
  return rows;
}
