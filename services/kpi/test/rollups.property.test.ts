import fc from 'fast-check';
import { addDays } from '@tthc/calendar';
import type { TestResources } from '@tthc/testkit';
import type { KpiDb } from '../src/db/schema';
import { sql } from 'kysely';
import { refillStockDeltas } from '../src/db/stock.repository';
import { rebuildRollups } from '../src/facts/rebuild';
import { drillDossiers } from '../src/figures/drill-down';
import { directFigures, periodFigures } from '../src/figures/period-figures';
import { buildTable, COLUMN_KEYS, COLUMN_MEASURES } from '../src/figures/statistics-table';
import { PROVINCE, type Scope } from '../src/domain/scope';
import { applyEvents, clearFacts, openKpi } from './support/harness';
import { shuffled } from './support/dossier-events';
import { stockTotals } from './support/stocks';
import { plan, storyOf } from './support/random-stories';

let t: TestResources<KpiDb>;
beforeAll(async () => {
  t = await openKpi();
});
afterAll(async () => t.close());

const rollupRows = async () => ({
  received: await t.db
    .selectFrom('rollup_received_daily')
    .selectAll()
    .where('received', '!=', 0)
    .orderBy('day')
    .orderBy('agency_code')
    .orderBy('field_code')
    .orderBy('procedure_code')
    .orderBy('channel')
    .execute(),
  ended: await t.db
    .selectFrom('rollup_ended_daily')
    .selectAll()
    .where('ended', '!=', 0)
    .orderBy('day')
    .orderBy('agency_code')
    .orderBy('field_code')
    .orderBy('procedure_code')
    .orderBy('channel')
    .execute(),
  // The stocks' changes the trigger keeps (migrations 202612040101, 202612070101), per key.
  stocks: await stockTotals(t.db),
});

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
  { agencyCodes: null, fieldCode: null, procedureCode: '1.004571' },
);

// Each run applies up to a few hundred events, one transaction each: minutes on a loaded machine.
const PROPERTY_TIMEOUT_MS = 180_000;

describe('rollups', () => {
  it(
    'give the same figures as a direct computation over the facts, for random fact sets, periods and scopes',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(plan, { minLength: 1, maxLength: 25 }),
          fc.array(fc.tuple(periods, scopes), { minLength: 3, maxLength: 6 }),
          fc.integer(),
          async (plans, asks, seed) => {
            await clearFacts(t.db);
            await applyEvents(
              t.db,
              shuffled(
                plans.flatMap((p) => storyOf(p).events),
                seed,
              ),
            );
            for (const [span, scope] of asks) {
              const fromRollups = (await periodFigures(t.db, scope, span)).entries();
              const direct = (await directFigures(t.db, scope, span)).entries();
              expect(fromRollups).toEqual(direct);
            }
          },
        ),
        { numRuns: 12 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'count the stocks of dossiers open across a year’s end as a direct computation does',
    async () => {
      // Received from late November 2025: stocks summed over a year's, months' and days' changes.
      const base = '2025-11-20';
      const acrossYears = fc
        .record({ from: fc.integer({ min: 0, max: 420 }), length: fc.integer({ min: 1, max: 100 }) })
        .map(({ from, length }) => ({ from: addDays(base, from), to: addDays(base, from + length - 1) }));
      await fc.assert(
        fc.asyncProperty(
          fc.array(plan, { minLength: 1, maxLength: 25 }),
          fc.array(acrossYears, { minLength: 3, maxLength: 6 }),
          fc.integer(),
          async (plans, spans, seed) => {
            await clearFacts(t.db);
            await applyEvents(
              t.db,
              shuffled(
                plans.flatMap((p) => storyOf(p, base).events),
                seed,
              ),
            );
            for (const span of spans) {
              const fromRollups = (await periodFigures(t.db, PROVINCE, span)).entries();
              const direct = (await directFigures(t.db, PROVINCE, span)).entries();
              expect(fromRollups).toEqual(direct);
            }
          },
        ),
        { numRuns: 8 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'rebuilt from the facts equal the rollups and stock changes the consumers kept',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(plan, { minLength: 1, maxLength: 25 }),
          fc.integer(),
          async (plans, seed) => {
            await clearFacts(t.db);
            await applyEvents(
              t.db,
              shuffled(
                plans.flatMap((p) => storyOf(p).events),
                seed,
              ),
            );
            const kept = await rollupRows();
            await rebuildRollups(t.db);
            expect(await rollupRows()).toEqual(kept);
            // Rows deleted (the benchmark takes its dossiers out again): their stock changes with them.
            await t.db
              .deleteFrom('dossiers')
              .where(sql<boolean>`get_byte(decode(md5(dossier_id::text), 'hex'), 0) < 128`)
              .execute();
            const { stocks } = await rollupRows();
            await refillStockDeltas(t.db);
            expect((await rollupRows()).stocks).toEqual(stocks);
          },
        ),
        { numRuns: 6 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'list in every cell’s drill-down exactly as many dossiers as the cell says, for random fact sets',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(plan, { minLength: 1, maxLength: 25 }),
          periods,
          fc.integer(),
          async (plans, span, seed) => {
            await clearFacts(t.db);
            await applyEvents(
              t.db,
              shuffled(
                plans.flatMap((p) => storyOf(p).events),
                seed,
              ),
            );
            const { total } = buildTable(await periodFigures(t.db, PROVINCE, span), { byProcedure: false });
            for (const column of COLUMN_KEYS) {
              const page = await drillDossiers(t.db, {
                scope: PROVINCE,
                span,
                measures: COLUMN_MEASURES[column],
                limit: 1000,
              });
              expect({ column, listed: page.items.length }).toEqual({
                column,
                listed: total.figures[column],
              });
            }
          },
        ),
        { numRuns: 8 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
