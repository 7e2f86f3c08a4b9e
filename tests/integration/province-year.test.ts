import { eventPayloads, type EventType } from '@tthc/contracts';
import { openTestResources, type TestResources } from '@tthc/testkit';
import { sql } from 'kysely';
import { generateProvinceYear, type GenerateReport } from '../../scripts/generate/province-year';
import type { KpiDb } from '../../services/kpi/src/db/schema';
import { rebuildRollups } from '../../services/kpi/src/facts/rebuild';
import { startKpiApp } from '../../services/kpi/test/support/harness';

/**
 * The bulk generator at a small scale: what it writes into intake's tables and into kpi's facts
 * tell the same story. kpi's statistics table (from its rollups and timeline) equals a direct
 * count over intake's own rows; its events read against the contracts; its rollups equal those
 * kpi rebuilds from the facts.
 */
let t: TestResources<KpiDb>;
let kpi: Awaited<ReturnType<typeof startKpiApp>>;
let report: GenerateReport;
const N = 3000;

beforeAll(async () => {
  t = await openTestResources<KpiDb>('kpi');
  report = await generateProvinceYear({ databaseUrl: t.databaseUrl, dossiers: N, year: 2026, seed: 7 });
  kpi = await startKpiApp(t);
}, 180_000);
afterAll(async () => {
  await kpi?.app.close();
  await t?.close();
});

/** Biểu 06 straight from intake's rows: its dates, statuses and verdicts as of the data's end. */
async function fromIntake(from: string, to: string) {
  const intake = t.dbFor<any>('intake');
  const { rows } = await sql<Record<string, number>>`
    with d as (
      select channel, status, timeliness,
        (received_at at time zone 'Asia/Ho_Chi_Minh')::date as rd,
        (ended_at at time zone 'Asia/Ho_Chi_Minh')::date as ed,
        (legal_due_at at time zone 'Asia/Ho_Chi_Minh')::date as ld
      from dossiers where received_at is not null)
    select
      count(*) filter (where rd between ${from}::date and ${to}::date and channel = 'online')::int as "receivedOnline",
      count(*) filter (where rd between ${from}::date and ${to}::date and channel <> 'online')::int as "receivedDirectPostal",
      count(*) filter (where rd < ${from}::date and (ed is null or ed >= ${from}::date))::int as "carriedOver",
      count(*) filter (where ed between ${from}::date and ${to}::date)::int as resolved,
      count(*) filter (where ed between ${from}::date and ${to}::date and timeliness = 'early')::int as "resolvedEarly",
      count(*) filter (where ed between ${from}::date and ${to}::date and timeliness = 'on_time')::int as "resolvedOnTime",
      count(*) filter (where ed between ${from}::date and ${to}::date and timeliness = 'late')::int as "resolvedLate",
      count(*) filter (where rd <= ${to}::date and (ed is null or ed > ${to}::date))::int as "inProgress",
      count(*) filter (where rd <= ${to}::date and (ed is null or ed > ${to}::date)
        and status not in ('awaiting_supplement', 'awaiting_payment') and ld <= ${to}::date)::int as "inProgressOverdue"
    from d`.execute(intake);
  const r = rows[0] as Record<string, number>;
  await intake.destroy();
  return {
    ...r,
    received: (r['receivedOnline'] ?? 0) + (r['receivedDirectPostal'] ?? 0) + (r['carriedOver'] ?? 0),
    inProgressWithinTime: (r['inProgress'] ?? 0) - (r['inProgressOverdue'] ?? 0),
  };
}

describe('a generated province-year', () => {
  it('files N dossiers, nearly all received, with several events each', () => {
    expect(report.dossiers).toBe(N);
    expect(report.received).toBeGreaterThan(N * 0.95);
    expect(report.received).toBeLessThan(N);
    expect(report.events).toBeGreaterThan(N * 5);
  });

  it('has the statistics table of the year equal to a direct count over intake’s own rows', async () => {
    const res = await kpi.get('/v1/kpi/statistics?period=2026');
    expect(res.status).toBe(200);
    expect(res.body.total.figures).toEqual(await fromIntake('2026-01-01', '2026-12-31'));
    expect(res.body.total.figures.resolvedLate).toBeGreaterThan(0);
    expect(res.body.total.figures.inProgress).toBeGreaterThan(0);
    expect(res.body.rows.length).toBeGreaterThan(3);
  });

  it('has each quarter’s received, carried-over, resolved and in-progress counts equal to intake’s', async () => {
    const quarters = [
      ['2026-Q1', '2026-01-01', '2026-03-31'],
      ['2026-Q2', '2026-04-01', '2026-06-30'],
      ['2026-Q3', '2026-07-01', '2026-09-30'],
      ['2026-Q4', '2026-10-01', '2026-12-31'],
    ] as const;
    for (const [period, from, to] of quarters) {
      const mine = (await kpi.get(`/v1/kpi/statistics?period=${period}`)).body.total.figures;
      const {
        inProgressOverdue: _o,
        inProgressWithinTime: _w,
        ...theirs
      } = (await fromIntake(from, to)) as Record<string, number>;
      expect({ period, ...mine }).toMatchObject({ period, ...theirs });
      expect(mine.carriedOver).toBe(period === '2026-Q1' ? 0 : mine.carriedOver);
    }
  });

  it('has online dossiers and e-results in the indicator set as intake counts them', async () => {
    const intake = t.dbFor<any>('intake');
    const { rows } = await sql<{ online: number; received: number; eResult: number; resolved: number }>`
      select
        count(*) filter (where channel = 'online')::int as online,
        count(*)::int as received,
        count(*) filter (where status in ('resolved', 'returned') and (result->>'eResult')::boolean)::int as "eResult",
        count(*) filter (where status in ('resolved', 'returned'))::int as resolved
      from dossiers where received_at is not null`.execute(intake);
    await intake.destroy();
    const set = (await kpi.get('/v1/kpi/indicators?period=2026')).body;
    const criteria = new Map<string, { numerator: number; denominator: number }>(
      set.groups
        .flatMap((g: { criteria: { id: string }[] }) => g.criteria)
        .map((c: { id: string }) => [c.id, c]),
    );
    expect(criteria.get('online.dossiers_online')).toMatchObject({
      numerator: rows[0]?.online,
      denominator: rows[0]?.received,
    });
    expect(criteria.get('digitization.e_result')).toMatchObject({
      numerator: rows[0]?.eResult,
      denominator: rows[0]?.resolved,
    });
  });

  it('writes events that read against the contracts, once each in intake’s outbox and kpi’s log', async () => {
    const intake = t.dbFor<any>('intake');
    const outbox = await intake
      .selectFrom('outbox')
      .select(['id', 'type', 'payload', 'sent_at'])
      .where('type', 'like', 'dossier.%')
      .execute();
    await intake.destroy();
    expect(outbox.length).toBe(report.events);
    const bad = outbox.filter((e) => !eventPayloads[e.type as EventType].safeParse(e.payload).success);
    expect(bad.slice(0, 3)).toEqual([]);
    expect(outbox.every((e) => e.sent_at !== null)).toBe(true);
    const logged = await t.db
      .selectFrom('dossier_events')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(logged.n).toBe(report.events);
  });

  it('keeps rollups equal to those kpi rebuilds from the facts', async () => {
    const snapshot = async () => {
      const received = await t.db.selectFrom('rollup_received_daily').selectAll().execute();
      const ended = await t.db.selectFrom('rollup_ended_daily').selectAll().execute();
      const key = (r: Record<string, unknown>) => JSON.stringify(r);
      return { received: received.map(key).sort(), ended: ended.map(key).sort() };
    };
    const generated = await snapshot();
    expect(generated.received.length).toBeGreaterThan(100);
    await rebuildRollups(t.db);
    expect(await snapshot()).toEqual(generated);
  });
});
