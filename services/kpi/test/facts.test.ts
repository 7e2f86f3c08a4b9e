import { randomUUID } from 'node:crypto';
import type { TestResources } from '@tthc/testkit';
import { findTimeline, timelinesOf } from '../src/db/dossier.repository';
import type { KpiDb } from '../src/db/schema';
import { contributionsOf } from '../src/domain/contributions';
import { foldDossier } from '../src/domain/timeline';
import { applyEvents, clearFacts, openKpi, type AnyEvent } from './support/harness';
import { dossier, shuffled, vn } from './support/dossier-events';

let t: TestResources<KpiDb>;
beforeAll(async () => {
  t = await openKpi();
});
afterAll(async () => t.close());
beforeEach(async () => clearFacts(t.db));

const rollups = async () => ({
  received: await t.db
    .selectFrom('rollup_received_daily')
    .selectAll()
    .where('received', '!=', 0)
    .orderBy('day')
    .orderBy('channel')
    .execute(),
  ended: await t.db
    .selectFrom('rollup_ended_daily')
    .selectAll()
    .where('ended', '!=', 0)
    .orderBy('day')
    .orderBy('channel')
    .execute(),
});

const story = () =>
  dossier({ feesDue: 500_000 })
    .received(vn('2026-03-02 09:00'), vn('2026-03-13 17:00'))
    .supplementRequested(vn('2026-03-03 09:00'))
    .supplementCompleted(vn('2026-03-10 09:00'), vn('2026-03-31 17:00'))
    .paymentRequested(vn('2026-03-11 09:00'))
    .paid(vn('2026-03-12 09:00'), true)
    .rescheduled(vn('2026-03-20 09:00'), vn('2026-04-10 17:00'))
    .resolved(vn('2026-03-30 09:00'))
    .returned(vn('2026-04-03 09:00'))
    .rated(vn('2026-04-03 10:00'), 'satisfied');

describe('the dossier facts', () => {
  it('keeps one row per dossier with every timestamped fact, its waits and due-date changes', async () => {
    const s = story();
    await applyEvents(t.db, s.events);
    const row = await t.db
      .selectFrom('dossiers')
      .selectAll()
      .where('dossier_id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      code: s.code,
      channel: 'online',
      received_day: '2026-03-02',
      ended_day: '2026-03-30',
      end_kind: 'resolved',
      legal_outcome: 'early',
      indicator_outcome: 'late',
      supplement_requests: 1,
      rating: 'satisfied',
      status: 'returned',
      open_span: '[2026-03-02,2026-04-04)',
    });
    expect(row.first_online_paid_at?.toISOString()).toBe(vn('2026-03-12 09:00'));
    expect(row.rescheduled_due_at?.toISOString()).toBe(vn('2026-04-10 17:00'));
    const waits = await t.db
      .selectFrom('dossier_waits')
      .select(['kind', 'started_at', 'ended_at'])
      .where('dossier_id', '=', s.id)
      .orderBy('seq')
      .execute();
    expect(waits.map((w) => w.kind)).toEqual(['supplement', 'payment']);
    expect(await findTimeline(t.db, s.id)).toEqual(foldDossier(s.events));
  });

  it('reaches the same facts and rollups whatever order the events arrive in', async () => {
    const s = story();
    await applyEvents(t.db, s.events);
    const inOrder = { row: await findTimeline(t.db, s.id), rollups: await rollups() };
    for (const seed of [3, 11, 29]) {
      await clearFacts(t.db);
      await applyEvents(t.db, shuffled(s.events, seed));
      expect(await findTimeline(t.db, s.id)).toEqual(inOrder.row);
      expect(await rollups()).toEqual(inOrder.rollups);
    }
  });

  it('changes nothing when every event is delivered again', async () => {
    const stories = [
      story(),
      story(),
      dossier().received(vn('2026-03-05 09:00'), vn('2026-03-20 17:00')).withdrawn(vn('2026-03-06 09:00')),
    ];
    const all = stories.flatMap((s) => s.events);
    await applyEvents(t.db, all);
    const before = {
      rows: await t.db.selectFrom('dossiers').selectAll().orderBy('code').execute(),
      rollups: await rollups(),
    };
    await applyEvents(t.db, shuffled(all, 5));
    const after = {
      rows: await t.db.selectFrom('dossiers').selectAll().orderBy('code').execute(),
      rollups: await rollups(),
    };
    expect(after.rollups).toEqual(before.rollups);
    expect(after.rows.map(({ updated_at: _u, ...r }) => r)).toEqual(
      before.rows.map(({ updated_at: _u, ...r }) => r),
    );
  });

  it('keeps in the rollups exactly the contributions of the dossiers’ timelines', async () => {
    const stories = [
      story(),
      story(),
      dossier({ channel: 'postal' })
        .received(vn('2026-03-02 10:00'), vn('2026-03-13 17:00'))
        .stopped(vn('2026-03-04 09:00')),
    ];
    await applyEvents(
      t.db,
      stories.flatMap((s) => shuffled(s.events, 17)),
    );
    const timelines = await timelinesOf(t.db, await t.db.selectFrom('dossiers').selectAll().execute());
    const expected = new Map<string, number>();
    for (const tl of timelines)
      for (const c of contributionsOf(tl).received)
        expected.set(
          `${c.day}|${c.channel}`,
          (expected.get(`${c.day}|${c.channel}`) ?? 0) + (c.measures.received ?? 0),
        );
    const { received } = await rollups();
    expect(new Map(received.map((r) => [`${r.day}|${r.channel}`, r.received]))).toEqual(expected);
  });

  it('folds a complaint about the handling into the dossier, whichever arrives first', async () => {
    const s = dossier()
      .received(vn('2026-03-02 09:00'), vn('2026-03-13 17:00'))
      .resolved(vn('2026-03-10 09:00'));
    const feedbackId = randomUUID();
    const complaint = {
      id: randomUUID(),
      type: 'feedback.received',
      schemaVersion: 1,
      source: 'intake',
      entityId: feedbackId,
      entityVersion: 1,
      occurredAt: vn('2026-03-12 09:00'),
      requestId: null,
      payload: {
        feedbackId,
        code: 'PAKN-0001',
        kind: 'handling',
        agencyCode: '000.00.17.H55',
        procedureCode: '1.004579',
        dossierCode: s.code,
        receivedAt: vn('2026-03-12 09:00'),
        dueAt: vn('2026-03-26 17:00'),
      },
    } as AnyEvent;
    await applyEvents(t.db, [complaint, ...s.events]);
    const first = await t.db
      .selectFrom('dossiers')
      .select(['complaints', 'first_complaint_at'])
      .executeTakeFirstOrThrow();
    await clearFacts(t.db);
    await applyEvents(t.db, [...s.events, complaint]);
    const second = await t.db
      .selectFrom('dossiers')
      .select(['complaints', 'first_complaint_at'])
      .executeTakeFirstOrThrow();
    expect(first).toEqual({ complaints: 1, first_complaint_at: new Date(vn('2026-03-12 09:00')) });
    expect(second).toEqual(first);
    const { ended } = await rollups();
    expect(ended.map((r) => r.dissatisfied)).toEqual([1]);
  });
});
