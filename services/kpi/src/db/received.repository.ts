import type { Executor } from '@tthc/db';
import { sql } from 'kysely';
import type { KpiDb } from './schema';

export async function countReceived(db: Executor<KpiDb>, agencyCode: string, day: string): Promise<void> {
  await db
    .insertInto('received_daily')
    .values({ agency_code: agencyCode, day, received: 1 })
    .onConflict((oc) =>
      oc.columns(['agency_code', 'day']).doUpdateSet((eb) => ({ received: eb('received_daily.received', '+', 1) })),
    )
    .execute();
}

export interface ReceivedDay {
  agencyCode: string;
  day: string;
  received: number;
}

/** Days with receipts in [from, to] (inclusive civil dates), for one agency or all. */
export async function receivedBetween(
  db: Executor<KpiDb>,
  filter: { agencyCode: string | null; from: string; to: string },
): Promise<ReceivedDay[]> {
  let q = db
    .selectFrom('received_daily')
    .select(['agency_code as agencyCode', sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'), 'received'])
    .where('day', '>=', filter.from)
    .where('day', '<=', filter.to)
    .orderBy('day')
    .orderBy('agency_code');
  if (filter.agencyCode) q = q.where('agency_code', '=', filter.agencyCode);
  return q.execute();
}
