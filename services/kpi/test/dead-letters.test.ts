import { randomUUID } from 'node:crypto';
import { eventsJobsOf } from '@tthc/bus';
import { queues, type EventEnvelope } from '@tthc/contracts';
import { eventually, identityHeaders, type TestResources } from '@tthc/testkit';
import { Queue, type Worker } from 'bullmq';
import type { KpiDb } from '../src/db/schema';
import { startKpiEventsWorker } from '../src/workers/kpi-events.worker';
import { clearFacts, openKpi, startKpiApp } from './support/harness';
import { dossier, vn } from './support/dossier-events';

let t: TestResources<KpiDb>;
let kpi: Awaited<ReturnType<typeof startKpiApp>>;
let worker: Worker;
let queue: Queue;

beforeAll(async () => {
  t = await openKpi();
  kpi = await startKpiApp(t);
  worker = startKpiEventsWorker({ db: t.db, bus: t.bus, logger: t.logger });
  queue = new Queue(queues.kpiEvents, { connection: t.redis, prefix: t.bus.prefix });
});
afterAll(async () => {
  await worker.close();
  await queue.close();
  await kpi.app.close();
  await t.close();
});
beforeEach(async () => clearFacts(t.db));

const admin = async () =>
  identityHeaders({ sub: 'admin-1', kind: 'system', roles: ['admin'], agencyCode: null, agencyScope: null });
const replay = async (id: string) => {
  const res = await kpi.app.inject({
    method: 'POST',
    url: `/v1/kpi/dead-letters/${id}/replay`,
    headers: await admin(),
  });
  return { status: res.statusCode, body: res.json() };
};
const letters = async () =>
  (await kpi.app.inject({ method: 'GET', url: '/v1/kpi/dead-letters', headers: await admin() })).json()
    .items as any[];

describe('malformed events on the queue', () => {
  it('are parked with the reason, and the consumer carries on with the next event', async () => {
    const good = dossier().received(vn('2026-03-02 09:00'), vn('2026-03-13 17:00'));
    const [received] = good.events;
    const broken = { ...received, id: randomUUID(), payload: { ...received?.payload, code: 42 } };
    const bad = await queue.add('dossier.received', broken, { jobId: broken.id, attempts: 5 });
    const unknownType = await queue.add(
      'dossier.teleported',
      { ...received, id: randomUUID(), type: 'dossier.teleported' },
      { attempts: 5 },
    );
    for (const e of good.events) await queue.add(e.type, e, { jobId: e.id });

    await eventually(
      async () =>
        (await t.db.selectFrom('dossiers').select('code').execute()).length === 1 ? true : undefined,
      { what: 'the good events to be applied' },
    );
    const parked = await eventually(
      async () => {
        const items = await letters();
        return items.length === 2 ? items : undefined;
      },
      { what: 'both bad events parked' },
    );
    expect(parked.find((l) => l.eventId === broken.id)).toMatchObject({
      queue: 'kpi.events',
      eventType: 'dossier.received',
      attempts: 1,
      reason: expect.stringMatching(/payload\/code/),
    });
    expect(parked.find((l) => l.eventType === 'dossier.teleported')?.reason).toMatch(/^does not read: type/);
    // Parked, not failed: no retry storm, and nothing left for BullMQ to retry.
    expect(await (await queue.getJob(String(bad.id)))?.isCompleted()).toBe(true);
    expect(await (await queue.getJob(String(unknownType.id)))?.isCompleted()).toBe(true);
    expect(worker.isRunning()).toBe(true);
  });

  it('are parked one by one from a job of several events, as the relay sends them, the others applied', async () => {
    const good = dossier().received(vn('2026-03-02 09:00'), vn('2026-03-13 17:00'));
    const [received] = good.events;
    const broken = {
      ...received,
      id: randomUUID(),
      payload: { ...received?.payload, receivedAt: 'yesterday' },
    };
    const [job] = eventsJobsOf([...good.events, broken] as EventEnvelope[]);
    await queue.add(job!.name, job!.data, { jobId: job!.opts.jobId, attempts: 5 });
    const [letter] = await eventually(
      async () => {
        const items = await letters();
        return items.length === 1 ? items : undefined;
      },
      { what: 'the bad event parked' },
    );
    expect(letter).toMatchObject({
      eventId: broken.id,
      jobId: job!.opts.jobId,
      reason: expect.stringMatching(/payload\/receivedAt/),
    });
    expect(await t.db.selectFrom('dossiers').select('code').where('code', '=', good.code).execute()).toEqual([
      { code: good.code },
    ]);
    await eventually(
      async () => ((await (await queue.getJob(job!.opts.jobId))?.isCompleted()) ? true : undefined),
      {
        what: 'the job completed',
      },
    );
  });

  it('can be replayed by an operator once they read: refused with the reason while they do not', async () => {
    const good = dossier().received(vn('2026-03-02 09:00'), vn('2026-03-13 17:00'));
    const [received] = good.events;
    const broken = { ...received, id: randomUUID(), payload: { ...received?.payload, channel: 'pigeon' } };
    await queue.add('dossier.received', broken, { jobId: broken.id });
    const [letter] = await eventually(
      async () => {
        const items = await letters();
        return items.length === 1 ? items : undefined;
      },
      { what: 'the event parked' },
    );
    const refused = await replay(letter.id);
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toMatch(/payload\/channel/);

    // The same event as a newer build reads it (here: the operator corrected the data).
    await t.db
      .updateTable('dead_letters')
      .set({ data: JSON.stringify(received) })
      .where('id', '=', letter.id)
      .execute();
    const replayed = await replay(letter.id);
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ replayedAt: expect.any(String), replayError: null });
    // The replayed event made its dossier's facts (another test's dossier may be folding beside it).
    expect(await t.db.selectFrom('dossiers').select('code').where('code', '=', good.code).execute()).toEqual([
      { code: good.code },
    ]);
  });

  it('are for administrators only', async () => {
    const res = await kpi.get('/v1/kpi/dead-letters');
    expect(res.status).toBe(403);
  });
});
