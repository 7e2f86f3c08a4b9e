import type { TestResources } from '@tthc/testkit';
import { sql } from 'kysely';
import pg from 'pg';
import { refillStockDeltas } from '../src/db/stock.repository';
import type { KpiDb } from '../src/db/schema';
import { applyEvents, clearFacts, openKpi } from './support/harness';
import { dossier, vn } from './support/dossier-events';

/**
 * The stock changes are kept by triggers on the dossiers (migration 202612040101). A consumer's
 * save is an INSERT … ON CONFLICT DO UPDATE: the insert and the update triggers fire, two sorted
 * passes over the stock rows in one statement, and the second can need a key below one the first
 * holds. Two writers interleaved so (the order the consumers' writers met at 500 events/s) must
 * queue, not deadlock, and leave the stocks a refill would.
 */

let t: TestResources<KpiDb>;
beforeAll(async () => {
  t = await openKpi();
});
afterAll(async () => t.close());

async function client(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: t.databaseUrl });
  await c.connect();
  await c.query('set search_path to kpi');
  return c;
}

/** Every stock change that is not zero, in key order. */
async function stocks() {
  const { rows } = await sql<Record<string, unknown>>`
    select grain, start::text, agency_code, procedure_code, in_progress, legal_overdue, ind_overdue
    from stock_deltas where (in_progress, legal_overdue, ind_overdue) <> (0, 0, 0)
    order by 1, 2, 3, 4`.execute(t.db);
  return rows;
}

describe('stock changes kept by two writers at once', () => {
  it('queue instead of deadlocking when an upsert’s second pass needs a key another writer holds, and equal a refill', async () => {
    await clearFacts(t.db);
    // Four dossiers in progress, the same groups: two received on 2 March (stock key A), two on
    // 3 March (key B, after A).
    const day1 = ['P', 'Q'].map((c) =>
      dossier({ code: `DL-${c}` }).received(vn('2026-03-02 09:00'), vn('2027-12-31 17:00')),
    );
    const day2 = ['R', 'S'].map((c) =>
      dossier({ code: `DL-${c}` }).received(vn('2026-03-03 09:00'), vn('2027-12-31 17:00')),
    );
    await applyEvents(
      t.db,
      [...day1, ...day2].flatMap((s) => s.events),
    );
    const [p, q] = day1.map((s) => s.id) as [string, string];
    const [r, s] = day2.map((s) => s.id) as [string, string];
    // A dossier's start moved a day back (−1 on its day, +1 the day before) or a day on.
    const moved = (by: string, span = 'progress_span') => `daterange(lower(${span}) ${by}, null)`;

    const first = await client();
    const second = await client();
    try {
      // The second writer moves P a day back (keys 1 and 2 March) and keeps its transaction open.
      await second.query('begin');
      await second.query(`update dossiers set progress_span = ${moved('- 1')} where dossier_id = $1`, [p]);

      // The first writer's save, one upsert: R moved a day on (3 and 4 March: the update pass,
      // which runs first) and a new dossier like Q (2 March: the insert pass, a key below those
      // the first pass holds, and held by the second writer).
      await first.query('begin');
      const save = first.query(
        `insert into dossiers
         select (jsonb_populate_record(null::dossiers,
                  to_jsonb(d) || jsonb_build_object('dossier_id', gen_random_uuid(), 'code', 'DL-N'))).*
         from dossiers d where dossier_id = $1
         union all
         select * from dossiers where dossier_id = $2
         on conflict (dossier_id) do update set progress_span = ${moved('+ 1', 'excluded.progress_span')}`,
        [q, r],
      );
      await new Promise((done) => setTimeout(done, 300));

      // The second writer now moves S a day on (3 and 4 March): without a queue the two writers
      // would wait on each other.
      const next = second.query(`update dossiers set progress_span = ${moved('+ 1')} where dossier_id = $1`, [
        s,
      ]);
      await expect(next).resolves.toBeDefined();
      await second.query('commit');
      await expect(save).resolves.toBeDefined();
      await first.query('commit');
    } finally {
      await Promise.all([first.end(), second.end()]);
    }

    const kept = await stocks();
    expect(kept.find((k) => k['grain'] === 'd' && k['start'] === '2026-03-04')?.['in_progress']).toBe(2);
    await refillStockDeltas(t.db);
    expect(kept).toEqual(await stocks());
  }, 30_000);
});
