import { eventually, type TestResources } from '@tthc/testkit';
import { sql } from 'kysely';
import pg from 'pg';
import { compactStockDeltas, refillStockDeltas } from '../src/db/stock.repository';
import type { KpiDb } from '../src/db/schema';
import { applyEvents, clearFacts, openKpi } from './support/harness';
import { stockTotals } from './support/stocks';
import { startStockCompaction } from '../src/workers/stock-compaction';
import { dossier, vn } from './support/dossier-events';

/**
 * The stock changes are kept by triggers on the dossiers (migrations 202612040101, 202612070101):
 * each statement appends its changes, and a compaction folds a key's rows into one. A consumer's
 * save is an INSERT … ON CONFLICT DO UPDATE: the insert and the update triggers fire in one
 * statement. Two writers interleaved so (the order the consumers' writers met at 500 events/s)
 * must neither deadlock nor wait on each other, and leave the stocks a refill would; a compaction
 * beside them changes no stock.
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

const stocks = () => stockTotals(t.db);

/** The most rows any key has. */
async function rowsPerKey(): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select coalesce(max(n), 0)::int as n from (
      select count(*) as n from stock_deltas
      group by grain, start, agency_code, field_code, procedure_code, authority_level, channel) as k`.execute(
    t.db,
  );
  return rows[0]?.n ?? 0;
}

describe('stock changes kept by two writers at once', () => {
  it('neither deadlock nor wait when an upsert’s two passes meet another writer’s keys, and equal a refill', async () => {
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
      // The save does not wait for the second writer's transaction (its stock keys are the first's).
      await expect(save).resolves.toBeDefined();

      // The second writer now moves S a day on (3 and 4 March: keys the first writer wrote).
      const next = second.query(`update dossiers set progress_span = ${moved('+ 1')} where dossier_id = $1`, [
        s,
      ]);
      await expect(next).resolves.toBeDefined();
      await second.query('commit');
      await first.query('commit');
    } finally {
      await Promise.all([first.end(), second.end()]);
    }

    const kept = await stocks();
    expect(kept.find((k) => k['grain'] === 'd' && k['start'] === '2026-03-04')?.['in_progress']).toBe(2);
    await refillStockDeltas(t.db);
    expect(kept).toEqual(await stocks());
  }, 30_000);

  it('folds each key to one row beside a writer and another compaction, changing no stock', async () => {
    // P moved a day on and back: its keys get rows that sum to nothing.
    for (const by of ['+ 1', '- 1'])
      await sql`update dossiers set progress_span = daterange(lower(progress_span) ${sql.raw(by)}, null)
        where code = 'DL-P'`.execute(t.db);
    const before = await stocks();
    expect(await rowsPerKey()).toBeGreaterThan(1);

    const writer = await client();
    const other = await client();
    try {
      // A writer's changes not committed yet: the compaction does not see them, they stay pending.
      await writer.query('begin');
      await writer.query(
        `update dossiers set progress_span = daterange(lower(progress_span) + 1, null) where code = 'DL-Q'`,
      );
      // Two compactions at once: the second waits for the rows the first deletes, then skips them.
      await other.query('begin');
      await other.query('select compact_stock_deltas(1000)');
      const second = compactStockDeltas(t.db, 1000);
      await new Promise((done) => setTimeout(done, 200));
      await other.query('commit');
      await second;
      expect(await stocks()).toEqual(before);
      await writer.query('commit');
    } finally {
      await Promise.all([writer.end(), other.end()]);
    }
    const written = await stocks();
    expect(written).not.toEqual(before);
    expect(
      (await sql<{ n: number }>`select count(*)::int as n from stock_deltas where pending`.execute(t.db))
        .rows[0]?.n,
    ).toBeGreaterThan(0);

    let folded = 0;
    do folded = await compactStockDeltas(t.db, 2);
    while (folded > 0);
    expect(await rowsPerKey()).toBe(1);
    expect(await stocks()).toEqual(written);
    await refillStockDeltas(t.db);
    expect(await stocks()).toEqual(written);
  }, 30_000);

  it('are folded by the compaction the workers run every few seconds', async () => {
    await sql`update dossiers set progress_span = daterange(lower(progress_span) + 1, null)
      where code = 'DL-R'`.execute(t.db);
    const expected = await stocks();
    expect(await rowsPerKey()).toBeGreaterThan(1);
    const compaction = startStockCompaction({ db: t.db, logger: t.logger }, { intervalMs: 20, maxKeys: 3 });
    try {
      await eventually(async () => ((await rowsPerKey()) === 1 ? true : undefined), {
        what: 'every key folded to one row',
        timeoutMs: 10_000,
      });
    } finally {
      await compaction.close();
    }
    expect(await stocks()).toEqual(expected);
  }, 30_000);
});
