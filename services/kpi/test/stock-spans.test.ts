import fc from 'fast-check';
import { addDays } from '@tthc/calendar';
import { inProgressAt, overdueAt, VIEWS } from '../src/domain/judgement';
import { stockSpans, type DaySpan } from '../src/domain/stock-spans';
import { foldDossier } from '../src/domain/timeline';
import { plan, storyOf } from './support/random-stories';

const within = (spans: readonly DaySpan[], day: string) =>
  spans.some((s) => s.from <= day && (s.until === null || day < s.until));

describe('the stock spans kept on a dossier’s row', () => {
  it('hold exactly the days at whose end the judgement says in progress, and overdue in each view, for random dossiers', () => {
    fc.assert(
      fc.property(plan, (p) => {
        const t = foldDossier(storyOf(p).events);
        if (!t) return;
        const spans = stockSpans(t);
        // From before the receipt to well after every due date and fact of the plans.
        for (let day = '2025-12-20'; day <= '2026-12-31'; day = addDays(day, 1)) {
          const inProgress = inProgressAt(t, day);
          expect({ day, inProgress: spans.progress !== null && within([spans.progress], day) }).toEqual({
            day,
            inProgress,
          });
          for (const view of VIEWS)
            expect({ day, view, overdue: within(spans.overdue[view], day) }).toEqual({
              day,
              view,
              overdue: inProgress && overdueAt(t, day, view),
            });
        }
      }),
      { numRuns: 60 },
    );
  });
});
