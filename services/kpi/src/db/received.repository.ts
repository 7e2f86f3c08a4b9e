import type { Executor } from '@tthc/db';
import { sql } from 'kysely';
import type { KpiDb } from './schema';

export interface ReceivedDay {
  agencyCode: string;
  day: string;
  received: number;
}

/** Dossiers received per agency and civil day in [from, to] (inclusive), from the daily rollup. */
export async function receivedBetween(
  db: Executor<KpiDb>,
  filter: { agencyCode: string | null; from: string; to: string },
): Promise<ReceivedDay[]> {
  let q = db
    .selectFrom('rollup_received_daily')
    .select([
      'agency_code as agencyCode',
      sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'),
      sql<number>`sum(received)::integer`.as('received'),
    ])
    .where('day', '>=', filter.from)
    .where('day', '<=', filter.to)
    .groupBy(['agency_code', 'day'])
    .having(sql`sum(received)`, '>', 0)
    .orderBy('day')
    .orderBy('agency_code');
  if (filter.agencyCode) q = q.where('agency_code', '=', filter.agencyCode);
  return q.execute();
}
