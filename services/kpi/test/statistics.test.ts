import { resolvePeriod } from '@tthc/calendar';
import type { StatisticsDossierRow } from '@tthc/contracts';
import type { TestResources } from '@tthc/testkit';
import { PROVINCE } from '../src/domain/scope';
import { statisticsDossiers } from '../src/figures/statistics-drill';
import type { KpiDb } from '../src/db/schema';
import { applyEvents, openKpi, startKpiApp } from './support/harness';
import { dossier, vn } from './support/dossier-events';

let t: TestResources<KpiDb>;
let kpi: Awaited<ReturnType<typeof startKpiApp>>;

const KCB = { fieldCode: 'KHAM_CHUA_BENH', procedureCode: '1.001234' };
// A hand-made quarter (Q1 2026) with every kind of dossier the form distinguishes.
const stories = {
  carriedResolvedEarly: dossier()
    .received(vn('2025-12-20 09:00'), vn('2026-01-20 17:00'))
    .resolved(vn('2026-01-10 09:00')),
  carriedStillOverdue: dossier().received(vn('2025-12-22 09:00'), vn('2026-01-05 17:00')),
  endedBefore: dossier()
    .received(vn('2025-12-01 09:00'), vn('2025-12-20 17:00'))
    .resolved(vn('2025-12-15 09:00')),
  onTime: dossier({ channel: 'online' })
    .received(vn('2026-02-02 09:00'), vn('2026-02-13 17:00'))
    .resolved(vn('2026-02-13 20:00')),
  rescheduledLate: dossier({ channel: 'direct' })
    .received(vn('2026-02-03 09:00'), vn('2026-02-24 17:00'))
    .rescheduled(vn('2026-02-20 09:00'), vn('2026-03-06 17:00'))
    .resolved(vn('2026-03-02 09:00')),
  withdrawnLate: dossier({ channel: 'postal' })
    .received(vn('2026-02-04 09:00'), vn('2026-02-10 17:00'))
    .withdrawn(vn('2026-02-20 09:00')),
  stopped: dossier({ channel: 'online' })
    .received(vn('2026-03-02 09:00'), vn('2026-03-04 17:00'))
    .stopped(vn('2026-03-25 09:00')),
  resolvedNextQuarter: dossier({ channel: 'online' })
    .received(vn('2026-03-20 09:00'), vn('2026-04-03 17:00'))
    .resolved(vn('2026-04-07 09:00')),
  waitingPayment: dossier({ channel: 'direct', ...KCB })
    .received(vn('2026-03-10 09:00'), vn('2026-03-20 17:00'))
    .paymentRequested(vn('2026-03-18 09:00')),
  overdue: dossier({ channel: 'direct', ...KCB, authorityLevel: 'district' }).received(
    vn('2026-03-05 09:00'),
    vn('2026-03-16 17:00'),
  ),
  refused: dossier().submitted(vn('2026-03-03 09:00')).refused(vn('2026-03-04 09:00')),
};

beforeAll(async () => {
  t = await openKpi();
  kpi = await startKpiApp(t);
  await applyEvents(
    t.db,
    Object.values(stories).flatMap((s) => s.events),
  );
});
afterAll(async () => {
  await kpi.app.close();
  await t.close();
});

describe('the dossier statistics table (Biểu 06)', () => {
  it('counts a quarter: received by channel and carried over, resolved by timeliness, in progress judged at its end', async () => {
    const res = await kpi.get('/v1/kpi/statistics?period=2026-Q1');
    expect(res.status).toBe(200);
    expect(res.body.period).toEqual({
      kind: 'quarter',
      basis: 'calendar',
      label: '2026-Q1',
      from: '2026-01-01',
      to: '2026-03-31',
    });
    expect(res.body.total.figures).toEqual({
      received: 9,
      receivedOnline: 3,
      receivedDirectPostal: 4,
      carriedOver: 2,
      resolved: 5,
      resolvedEarly: 1,
      resolvedOnTime: 3,
      resolvedLate: 1,
      inProgress: 4,
      inProgressWithinTime: 2,
      inProgressOverdue: 2,
    });
  });

  it('groups rows by authority level, then field', async () => {
    const res = await kpi.get('/v1/kpi/statistics?period=2026-Q1');
    expect(
      res.body.rows.map((r: { id: string; figures: { received: number } }) => [r.id, r.figures.received]),
    ).toEqual([
      ['level:province', 8],
      ['field:province:DUOC_PHAM', 7],
      ['field:province:KHAM_CHUA_BENH', 1],
      ['level:district', 1],
      ['field:district:KHAM_CHUA_BENH', 1],
    ]);
  });

  it('counts a dossier received in one quarter and resolved in the next in both: in progress, then carried over and resolved late', async () => {
    const res = await kpi.get('/v1/kpi/statistics?period=2026-Q2');
    expect(res.body.total.figures).toMatchObject({
      received: 4,
      carriedOver: 4,
      resolved: 1,
      resolvedLate: 1,
      inProgress: 3,
    });
  });

  it('reads the statutory data-cut quarter, 15 December to 14 March', async () => {
    const res = await kpi.get('/v1/kpi/statistics?period=2026-Q1&basis=statutory');
    expect(res.body.period).toMatchObject({ from: '2025-12-15', to: '2026-03-14' });
    // The two December dossiers are received in this period; the one ended on 15/12 is carried
    // over (not ended before the first day); the one received on 20/3 falls in the next period.
    expect(res.body.total.figures).toMatchObject({
      carriedOver: 1,
      receivedOnline: 4,
      receivedDirectPostal: 4,
    });
  });

  it('adds the previous period and the same period last year when asked', async () => {
    const res = await kpi.get('/v1/kpi/statistics?period=2026-Q1&compare=true');
    expect(res.body.comparison.previous.period.label).toBe('2025-Q4');
    expect(res.body.comparison.previous.total.figures).toMatchObject({
      received: 3,
      resolved: 1,
      inProgress: 2,
    });
    expect(res.body.comparison.lastYear.period.label).toBe('2025-Q1');
    expect(res.body.comparison.lastYear.total.figures.received).toBe(0);
  });

  it('answers the same table as CSV in the form’s layout', async () => {
    const res = await kpi.get('/v1/kpi/statistics/csv?period=2026-Q1&agencyCode=000.00.17.H55');
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/csv/);
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[3]).toBe(
      '"(1)","(2)","(3)","(4)","(5)","(6)","(7)","(8)","(9)","(10)","(11)","(12)","(13)"',
    );
    expect(lines[4]).toBe('"","Tổng cộng","9","3","4","2","5","1","3","1","4","2","2"');
    expect(lines[5]).toMatch(/^"I","Cấp tỉnh"/);
  });
});

describe('asking for a table', () => {
  it('refuses an agency outside the caller’s scope with 403', async () => {
    const res = await kpi.get('/v1/kpi/statistics?period=2026-Q1&agencyCode=000.00.17.H55', {
      roles: ['leader'],
      agencyCode: '000.01.17.H55',
      agencyScope: ['000.01.17.H55'],
    });
    expect(res.status).toBe(403);
    expect(res.type).toMatch(/problem\+json/);
    expect(res.body.errors).toEqual([expect.objectContaining({ in: 'query', pointer: '/agencyCode' })]);
  });

  it('counts only the caller’s agencies when it is scoped and names none', async () => {
    const res = await kpi.get('/v1/kpi/statistics?period=2026-Q1', {
      roles: ['leader'],
      agencyCode: '000.01.17.H55',
      agencyScope: ['000.01.17.H55'],
    });
    expect(res.status).toBe(200);
    expect(res.body.total.figures.received).toBe(0);
  });

  it('names the field at fault: an unknown agency, a period ending before it starts or over ten years', async () => {
    const unknown = await kpi.get('/v1/kpi/statistics?period=2026-Q1&agencyCode=000.00.99.H55');
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ in: 'query', pointer: '/agencyCode' })]);
    const backwards = await kpi.get('/v1/kpi/statistics?from=2026-03-01&to=2026-02-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([expect.objectContaining({ pointer: '/to' })]);
    const long = await kpi.get('/v1/kpi/statistics?from=2014-01-01&to=2026-02-01');
    expect(long.status).toBe(400);
    expect(long.body.code).toBe('period_too_long');
    const label = await kpi.get('/v1/kpi/statistics?period=2026-Q5');
    expect(label.status).toBe(400);
    expect(label.body.errors).toEqual([expect.objectContaining({ pointer: '/period' })]);
  });
});

describe('drilling down into a cell', () => {
  const all = async (query: string) => {
    const items: { code: string; fact: string }[] = [];
    let cursor: string | null = null;
    let value = -1;
    do {
      const res = await kpi.get(
        `/v1/kpi/statistics/drill-down?${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      value = res.body.value;
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return { value, items };
  };

  it('lists, for every cell of the table, exactly as many dossiers as the cell says', async () => {
    for (const period of ['period=2026-Q1', 'period=2026-Q2', 'period=2026-Q1&basis=statutory']) {
      const table = (await kpi.get(`/v1/kpi/statistics?${period}&byProcedure=true`)).body;
      for (const row of [table.total, ...table.rows]) {
        for (const column of Object.keys(row.figures)) {
          const cell = await all(`${period}&row=${encodeURIComponent(row.id)}&column=${column}`);
          expect({ period, row: row.id, column, listed: cell.items.length }).toEqual({
            period,
            row: row.id,
            column,
            listed: row.figures[column],
          });
          expect(cell.value).toBe(row.figures[column]);
          expect(new Set(cell.items.map((i) => i.code)).size).toBe(cell.items.length);
        }
      }
    }
  });

  it('says what put each dossier in the cell', async () => {
    const late = await all('period=2026-Q1&column=resolvedLate');
    expect(late.items).toEqual([
      expect.objectContaining({
        code: stories.rescheduledLate.code,
        fact: 'resolved 2026-03-02, due 2026-02-24 (legal): late',
      }),
    ]);
    const carried = await all('period=2026-Q1&column=carriedOver');
    expect(carried.items.map((i) => i.code).sort()).toEqual(
      [stories.carriedResolvedEarly.code, stories.carriedStillOverdue.code].sort(),
    );
    const waiting = await all('period=2026-Q1&row=field:province:KHAM_CHUA_BENH&column=inProgressWithinTime');
    expect(waiting.items[0]?.fact).toMatch(/waiting for the applicant: within time/);
  });

  it('pages, for a report\'s appendix, the dossiers of "tổng số hồ sơ" with how each stood at the end of the period', async () => {
    const table = (await kpi.get('/v1/kpi/statistics?period=2026-Q1')).body;
    const period = resolvePeriod({ period: '2026-Q1', basis: 'calendar' });
    const rows: StatisticsDossierRow[] = [];
    let cursor: string | undefined;
    do {
      const page = await statisticsDossiers(t.db, { period, scope: PROVINCE, cursor, limit: 3 });
      expect(page.total).toBe(table.total.figures.received);
      expect(page.items.length).toBeLessThanOrEqual(3);
      rows.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(rows).toHaveLength(table.total.figures.received);
    const row = (s: { code: string }) => rows.find((r) => r.code === s.code);
    expect(row(stories.endedBefore)).toBeUndefined();
    expect(row(stories.refused)).toBeUndefined();
    expect(row(stories.rescheduledLate)).toMatchObject({
      channel: 'direct',
      receivedDay: '2026-02-03',
      endedDay: '2026-03-02',
      endKind: 'resolved',
      legalOutcome: 'late',
    });
    // Resolved after the quarter: open at its end.
    expect(row(stories.resolvedNextQuarter)).toMatchObject({
      endedDay: null,
      endKind: null,
      legalOutcome: null,
    });
    expect(row(stories.withdrawnLate)).toMatchObject({ endKind: 'withdrawn', endedDay: '2026-02-20' });
    expect(row(stories.overdue)).toMatchObject({ authorityLevel: 'district', fieldCode: 'KHAM_CHUA_BENH' });
  });

  it('names the row or cursor at fault', async () => {
    const row = await kpi.get('/v1/kpi/statistics/drill-down?period=2026-Q1&row=nonsense&column=received');
    expect(row.status).toBe(400);
    expect(row.body.errors).toEqual([expect.objectContaining({ pointer: '/row' })]);
    const missing = await kpi.get(
      '/v1/kpi/statistics/drill-down?period=2026-Q1&row=level:commune&column=received',
    );
    expect(missing.status).toBe(404);
    const cursor = await kpi.get(
      '/v1/kpi/statistics/drill-down?period=2026-Q1&column=received&cursor=garbage',
    );
    expect(cursor.status).toBe(400);
    expect(cursor.body.errors).toEqual([expect.objectContaining({ pointer: '/cursor' })]);
  });
});

describe('scopes', () => {
  it('counts one field or one procedure when asked', async () => {
    for (const q of ['fieldCode=KHAM_CHUA_BENH', 'procedureCode=1.001234']) {
      const res = await kpi.get(`/v1/kpi/statistics?period=2026-Q1&${q}`);
      expect(res.status).toBe(200);
      expect(res.body.total.figures).toMatchObject({
        received: 2,
        receivedDirectPostal: 2,
        inProgressWithinTime: 1,
        inProgressOverdue: 1,
      });
      const set = await kpi.get(`/v1/kpi/indicators?period=2026-Q1&${q}`);
      expect(set.status).toBe(200);
    }
  });
});

describe('dossiers folded before their stock spans were kept', () => {
  it('are judged from their timelines: the same table as with the spans', async () => {
    const before = (await kpi.get('/v1/kpi/statistics?period=2026-Q2&byProcedure=true')).body;
    await t.db.updateTable('dossiers').set({ legal_overdue_days: null, ind_overdue_days: null }).execute();
    const after = (await kpi.get('/v1/kpi/statistics?period=2026-Q2&byProcedure=true')).body;
    expect(after).toEqual(before);
    expect(before.total.figures.carriedOver).toBeGreaterThan(0);
  });
});

// Runs last: it adds events after the quarter to dossiers the tests above count.
describe('a closed period', () => {
  it('keeps its figures when its dossiers change in the next quarter: the table, the CSV and the indicator set', async () => {
    const before = {
      table: (await kpi.get('/v1/kpi/statistics?period=2026-Q1&byProcedure=true')).body,
      csv: (await kpi.get('/v1/kpi/statistics/csv?period=2026-Q1')).text,
      set: (await kpi.get('/v1/kpi/indicators?period=2026-Q1')).body,
    };
    const s = stories.waitingPayment;
    const from = s.events.length;
    s.paid(vn('2026-04-02 09:00'), true)
      .resolved(vn('2026-04-20 09:00'), { eResult: false })
      .rated(vn('2026-04-21 09:00'), 'not_satisfied');
    const o = stories.overdue;
    const fromOverdue = o.events.length;
    o.withdrawn(vn('2026-04-03 09:00'));
    await applyEvents(t.db, [...s.events.slice(from), ...o.events.slice(fromOverdue)]);

    const after = {
      table: (await kpi.get('/v1/kpi/statistics?period=2026-Q1&byProcedure=true')).body,
      csv: (await kpi.get('/v1/kpi/statistics/csv?period=2026-Q1')).text,
      set: (await kpi.get('/v1/kpi/indicators?period=2026-Q1')).body,
    };
    expect(after).toEqual(before);
    // The next quarter does see them.
    const q2 = (await kpi.get('/v1/kpi/statistics?period=2026-Q2')).body.total.figures;
    expect(q2).toMatchObject({ resolved: 3, resolvedLate: 2, resolvedOnTime: 1 });
  });
});
