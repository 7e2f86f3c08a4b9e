import fc from 'fast-check';
import { sql } from 'kysely';
import { addDays } from '@tthc/calendar';
import type { TestResources } from '@tthc/testkit';
import { receivedPage } from '../src/db/dossier.repository';
import type { KpiDb } from '../src/db/schema';
import { dimsOf } from '../src/domain/contributions';
import { PROVINCE } from '../src/domain/scope';
import { drillDossiers } from '../src/figures/drill-down';
import { dossierCounters } from '../src/figures/period-figures';
import { COLUMN_KEYS, COLUMN_MEASURES, rowDims, rowFilter } from '../src/figures/statistics-table';
import { applyEvents, clearFacts, openKpi } from './support/harness';
import { shuffled } from './support/dossier-events';
import { plan, storyOf } from './support/random-stories';

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

const ROWS = [
  'total',
  'level:province',
  'field:province:KHAM_CHUA_BENH',
  'procedure:province:DUOC_PHAM:1.004571',
];

describe('drill-down pages', () => {
  it('concatenate, in order of receipt and without repeats, to exactly the dossiers the definitions count in the cell', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(plan, { minLength: 1, maxLength: 25 }),
        periods,
        fc.integer({ min: 1, max: 4 }),
        fc.integer(),
        fc.boolean(),
        async (plans, span, limit, seed, someUnjudged) => {
          await clearFacts(t.db);
          await applyEvents(
            t.db,
            shuffled(
              plans.flatMap((p) => storyOf(p).events),
              seed,
            ),
          );
          // Rows folded before their stock spans were kept (about half of them): found by their
          // progress span, judged from their timelines.
          if (someUnjudged)
            await sql`update dossiers set legal_overdue_days = null, ind_overdue_days = null
              where dossier_id::text < '8'`.execute(t.db);
          const all = await receivedPage(t.db, PROVINCE, { upTo: span.to, limit: 10_000 });
          for (const row of ROWS) {
            const inRow = rowFilter(row)!;
            for (const column of COLUMN_KEYS) {
              const measures = COLUMN_MEASURES[column];
              const expected = all
                .filter((d) => inRow(dimsOf(d)))
                .filter((d) => {
                  const c = dossierCounters(d, span);
                  return measures.some((m) => c[m] > 0);
                })
                .map((d) => d.dossierId)
                .sort();
              const listed: { id: string; key: string }[] = [];
              let cursor: string | undefined;
              let pages = 0;
              do {
                const page = await drillDossiers(t.db, {
                  scope: PROVINCE,
                  span,
                  measures,
                  dims: rowDims(row),
                  where: (d) => inRow(dimsOf(d)),
                  cursor,
                  limit,
                });
                expect(page.items.length).toBeLessThanOrEqual(limit);
                for (const i of page.items)
                  listed.push({
                    id: String(i.detail['dossierId']),
                    key: `${String(i.detail['receivedDay'])}|${i.code}|${String(i.detail['dossierId'])}`,
                  });
                cursor = page.nextCursor ?? undefined;
                pages++;
              } while (cursor && pages < 100);
              // In order of receipt (codes within a day in the database's collation), no dossier twice.
              const days = listed.map((l) => l.key.split('|')[0] ?? '');
              expect(days).toEqual([...days].sort());
              expect(new Set(listed.map((l) => l.id)).size).toBe(listed.length);
              expect({ row, column, ids: listed.map((l) => l.id).sort() }).toEqual({
                row,
                column,
                ids: expected,
              });
            }
          }
        },
      ),
      { numRuns: 12 },
    );
  }, 180_000);
});
