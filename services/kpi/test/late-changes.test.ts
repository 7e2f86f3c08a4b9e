import fc from 'fast-check';
import { addDays } from '@tthc/calendar';
import type { TestResources } from '@tthc/testkit';
import { sql } from 'kysely';
import { openOn } from '../src/db/dossier.repository';
import type { KpiDb } from '../src/db/schema';
import { endOfVnDay } from '../src/domain/as-of';
import { PROVINCE, type Scope } from '../src/domain/scope';
import { rebuildRollups } from '../src/facts/rebuild';
import { directFigures, periodFigures } from '../src/figures/period-figures';
import { applyEvents, clearFacts, openKpi, type AnyEvent } from './support/harness';
import { shuffled } from './support/dossier-events';
import { plan, storyOf, type Plan } from './support/random-stories';

let t: TestResources<KpiDb>;
beforeAll(async () => {
  t = await openKpi();
});
afterAll(async () => t.close());

const periods = fc
  .record({ from: fc.integer({ min: 0, max: 170 }), length: fc.integer({ min: 1, max: 120 }) })
  .map(({ from, length }) => ({
    from: addDays('2026-01-05', from),
    to: addDays('2026-01-05', from + length - 1),
  }));
const scopes = fc.constantFrom<Scope>(
  PROVINCE,
  { agencyCodes: ['000.00.17.H55', '000.02.17.H55'], fieldCode: null, procedureCode: null },
  { agencyCodes: null, fieldCode: 'KHAM_CHUA_BENH', procedureCode: null },
);

const TIMEOUT_MS = 180_000;

const eventsOf = (plans: Plan[], seed: number): AnyEvent[] =>
  shuffled(
    plans.flatMap((p) => storyOf(p).events),
    seed,
  );

describe('late changes (rollup changes made after their day)', () => {
  it(
    'answer a period as of its end with no timeline judged, equal to the direct computation',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(plan, { minLength: 1, maxLength: 25 }),
          fc.array(fc.tuple(periods, scopes), { minLength: 2, maxLength: 5 }),
          fc.integer(),
          async (plans, asks, seed) => {
            await clearFacts(t.db);
            await applyEvents(t.db, eventsOf(plans, seed));
            for (const [span, scope] of asks) {
              // Every dossier folded with its late changes kept: nothing left to judge from a timeline.
              expect(await openOn(t.db, scope, span.to)).toEqual([]);
              expect((await periodFigures(t.db, scope, span)).entries()).toEqual(
                (await directFigures(t.db, scope, span)).entries(),
              );
            }
          },
        ),
        { numRuns: 10 },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'keep a closed period’s figures to what had happened by its end, whatever happens later',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(plan, { minLength: 1, maxLength: 25 }),
          periods,
          fc.integer(),
          async (plans, span, seed) => {
            await clearFacts(t.db);
            const events = eventsOf(plans, seed);
            const end = endOfVnDay(span.to);
            // First what had happened by the period's end, then everything later.
            const byEnd = events.filter((e) => new Date(e.occurredAt) <= end);
            await applyEvents(t.db, byEnd);
            const closed = (await periodFigures(t.db, PROVINCE, span)).entries();
            expect(closed).toEqual((await directFigures(t.db, PROVINCE, span)).entries());
            await applyEvents(
              t.db,
              events.filter((e) => new Date(e.occurredAt) > end),
            );
            expect((await periodFigures(t.db, PROVINCE, span)).entries()).toEqual(closed);
          },
        ),
        { numRuns: 10 },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'leave figures exact for dossiers folded before they were kept, and the rebuild fills them in',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(plan, { minLength: 2, maxLength: 25 }),
          fc.array(periods, { minLength: 2, maxLength: 4 }),
          fc.integer(),
          async (plans, spans, seed) => {
            await clearFacts(t.db);
            const events = eventsOf(plans, seed);
            const half = Math.floor(events.length / 2);
            await applyEvents(t.db, events.slice(0, half));
            // As the migration leaves a database folded before: no late change kept.
            await sql`truncate rollup_received_late, rollup_ended_late`.execute(t.db);
            await t.db.updateTable('dossiers').set({ late_kept: false }).execute();
            const same = async () => {
              for (const span of spans)
                expect((await periodFigures(t.db, PROVINCE, span)).entries()).toEqual(
                  (await directFigures(t.db, PROVINCE, span)).entries(),
                );
            };
            await same();
            // Later events fold those dossiers again, now with their late changes.
            await applyEvents(t.db, events.slice(half));
            await same();
            await rebuildRollups(t.db);
            const left = await t.db
              .selectFrom('dossiers')
              .select('dossier_id')
              .where('late_kept', '=', false)
              .execute();
            expect(left).toEqual([]);
            await same();
          },
        ),
        { numRuns: 6 },
      );
    },
    TIMEOUT_MS,
  );
});
