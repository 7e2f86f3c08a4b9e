import fc from 'fast-check';
import { queues } from '@tthc/contracts';
import { eventually, type TestResources } from '@tthc/testkit';
import { Queue, type Worker } from 'bullmq';
import { findTimeline } from '../src/db/dossier.repository';
import type { KpiDb } from '../src/db/schema';
import { startKpiEventsWorker } from '../src/workers/kpi-events.worker';
import { applyEvents, clearFacts, openKpi } from './support/harness';
import { shuffled } from './support/dossier-events';
import { plan, storyOf } from './support/random-stories';

let t: TestResources<KpiDb>;
let worker: Worker;
let queue: Queue;

beforeAll(async () => {
  t = await openKpi();
  // Small batches, so a burst is written in several.
  worker = startKpiEventsWorker({ db: t.db, bus: t.bus, logger: t.logger }, { maxBatch: 7 });
  queue = new Queue(queues.kpiEvents, { connection: t.redis, prefix: t.bus.prefix });
});
afterAll(async () => {
  await worker.close();
  await queue.close();
  await t.close();
});

const ROLLUPS = [
  'rollup_received_daily',
  'rollup_ended_daily',
  'rollup_received_late',
  'rollup_ended_late',
] as const;

/** Everything the events make: each dossier's timeline, and every rollup row that is not zero. */
async function state(ids: string[]) {
  const rollups: Record<string, unknown[]> = {};
  for (const table of ROLLUPS) {
    const rows = (await t.db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
    rollups[table] = rows
      .filter((r) => Object.entries(r).some(([k, v]) => typeof v === 'number' && v !== 0 && k !== 'day'))
      .map((r) => JSON.stringify(r))
      .sort();
  }
  const timelines = await Promise.all(ids.map((id) => findTimeline(t.db, id)));
  return { timelines, rollups };
}

describe('the kpi events consumer', () => {
  it('writes bursts of dossier events in batches with the same facts and rollups as one event at a time, redeliveries included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(plan, { minLength: 1, maxLength: 20 }), fc.integer(), async (plans, seed) => {
        const stories = plans.map((p) => storyOf(p));
        const events = shuffled(
          stories.flatMap((s) => s.events),
          seed,
        );
        const ids = [...new Set(stories.map((s) => s.id))].sort();

        await clearFacts(t.db);
        await applyEvents(t.db, events);
        const oneByOne = await state(ids);

        await clearFacts(t.db);
        // Every event, then every event again (a redelivery: another job, the same event).
        await queue.addBulk([
          ...events.map((e) => ({ name: e.type, data: e, opts: { jobId: e.id } })),
          ...shuffled(events, seed + 1).map((e) => ({
            name: e.type,
            data: e,
            opts: { jobId: `${e.id}-again` },
          })),
        ]);
        await eventually(
          async () => {
            const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
            return counts['waiting'] === 0 && counts['active'] === 0 && counts['delayed'] === 0
              ? counts
              : undefined;
          },
          { what: 'the queue to be drained', timeoutMs: 60_000 },
        );
        expect((await queue.getJobCounts('failed'))['failed']).toBe(0);
        expect(await state(ids)).toEqual(oneByOne);
        await queue.drain(true);
        await queue.clean(0, 100_000, 'completed');
      }),
      { numRuns: 5 },
    );
  }, 180_000);
});
