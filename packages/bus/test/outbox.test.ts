import { eventRoutes, queues } from '@tthc/contracts';
import { migrateSchema, withTransaction } from '@tthc/db';
import { eventually, openTestResources, type TestResources } from '@tthc/testkit';
import { Queue } from 'bullmq';
import { sql } from 'kysely';
import {
  applyOnce,
  createOutboxTable,
  createProcessedEventsTable,
  emitEvent,
  eventsOfJob,
  MAX_EVENTS_PER_JOB,
  OutboxRelay,
  outboxBacklog,
  type BusTables,
} from '../src';
import { receivedPayload } from './support/events';

const SCHEMA = 'bus_test';
const received = (code: string) => receivedPayload(code, '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b');
const opts = { source: 'test', entityId: 'd1', entityVersion: 1 };

let t: TestResources<BusTables>;
let kpiQueue: Queue;

/** The ids of the events the kpi queue holds, job after job. */
const queuedEventIds = async (): Promise<string[]> =>
  (await kpiQueue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed'])).flatMap((j) =>
    eventsOfJob(j.data).map((e) => (e as { id: string }).id),
  );

beforeAll(async () => {
  t = await openTestResources<BusTables>(SCHEMA);
  await migrateSchema(t.db, SCHEMA, {
    '0001_bus': { up: async (db) => (await createOutboxTable(db), await createProcessedEventsTable(db)) },
  });
  kpiQueue = new Queue(queues.kpiEvents, { connection: t.redis, prefix: t.bus.prefix });
});
afterAll(async () => {
  await kpiQueue.close();
  await t.close();
});
beforeEach(async () => {
  await t.db.deleteFrom('outbox').execute();
  await t.db.deleteFrom('processed_events').execute();
  await kpiQueue.obliterate({ force: true });
});

describe('outbox', () => {
  it('writes the event only when the transaction commits', async () => {
    await expect(
      withTransaction(t.db, async (tx) => {
        await emitEvent(tx, 'dossier.received', received('A-1'), opts);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await t.db.selectFrom('outbox').selectAll().execute()).toHaveLength(0);
    await withTransaction(t.db, (tx) => emitEvent(tx, 'dossier.received', received('A-2'), opts));
    expect(await t.db.selectFrom('outbox').selectAll().execute()).toHaveLength(1);
  });

  it('refuses a payload that breaks the contract', async () => {
    await expect(
      withTransaction(t.db, (tx) =>
        emitEvent(tx, 'dossier.received', { ...received('A-3'), channel: 'fax' } as never, opts),
      ),
    ).rejects.toThrow();
    expect(await t.db.selectFrom('outbox').selectAll().execute()).toHaveLength(0);
  });

  it('relays each event exactly once even when two relays run at the same time', async () => {
    const ids: string[] = [];
    await withTransaction(t.db, async (tx) => {
      for (let i = 0; i < 30; i++)
        ids.push(await emitEvent(tx, 'dossier.received', received(`B-${i}`), opts));
    });
    const a = new OutboxRelay({ db: t.db, bus: t.bus, logger: t.logger, batchSize: 7 });
    const b = new OutboxRelay({ db: t.db, bus: t.bus, logger: t.logger, batchSize: 7 });
    let sent = 0;
    for (let round = 0; round < 10; round++) {
      const [x, y] = await Promise.all([a.relayOnce(), b.relayOnce()]);
      sent += x + y;
    }
    await Promise.all([a.stop(), b.stop()]);
    expect(sent).toBe(30);
    expect((await queuedEventIds()).sort()).toEqual([...ids].sort());
    expect(await outboxBacklog(t.db)).toEqual({ pending: 0, oldestAgeSeconds: 0 });
  });

  it('does not enqueue twice when a row is relayed again after a lost commit', async () => {
    const id = await withTransaction(t.db, (tx) => emitEvent(tx, 'dossier.received', received('C-1'), opts));
    const relay = new OutboxRelay({ db: t.db, bus: t.bus, logger: t.logger });
    await relay.relayOnce();
    // As if the relay died after enqueueing and before marking the row sent, and its lease ended.
    await t.db
      .updateTable('outbox')
      .set({ sent_at: null, leased_until: null })
      .where('id', '=', id)
      .execute();
    expect(await relay.relayOnce()).toBe(1);
    await relay.stop();
    expect((await kpiQueue.getJobCounts('waiting')).waiting).toBe(1);
  });

  it('holds no transaction while it writes to Redis: another relay skips the rows it is sending', async () => {
    for (let i = 0; i < 3; i++)
      await withTransaction(t.db, (tx) => emitEvent(tx, 'dossier.received', received(`G-${i}`), opts));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let sending!: () => void;
    const started = new Promise<void>((r) => (sending = r));
    const slow = new OutboxRelay({
      db: t.db,
      bus: t.bus,
      logger: t.logger,
      enqueue: async () => {
        sending();
        await gate;
      },
    });
    const other = new OutboxRelay({ db: t.db, bus: t.bus, logger: t.logger });
    const first = slow.relayOnce();
    await started;
    const open = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and state like 'idle in transaction%'`.execute(t.db);
    expect(open.rows[0]!.n).toBe(0);
    expect(await other.relayOnce()).toBe(0);
    release();
    expect(await first).toBe(3);
    expect(await outboxBacklog(t.db)).toEqual({ pending: 0, oldestAgeSeconds: 0 });
    await Promise.all([slow.stop(), other.stop()]);
  });

  it('sends a batch to each queue in one pipelined call, a hundred events to a job', async () => {
    await withTransaction(t.db, async (tx) => {
      for (let i = 0; i < 250; i++) await emitEvent(tx, 'dossier.received', received(`H-${i}`), opts);
    });
    const relay = new OutboxRelay({ db: t.db, bus: t.bus, logger: t.logger, batchSize: 500 });
    const add = jest.spyOn(Queue.prototype, 'add');
    const addBulk = jest.spyOn(Queue.prototype, 'addBulk');
    try {
      expect(await relay.relayOnce()).toBe(250);
      expect(add).not.toHaveBeenCalled();
      expect(addBulk).toHaveBeenCalledTimes(eventRoutes['dossier.received'].length);
    } finally {
      add.mockRestore();
      addBulk.mockRestore();
      await relay.stop();
    }
    const jobs = await kpiQueue.getJobs(['waiting']);
    expect(jobs.map((j) => eventsOfJob(j.data).length).sort((x, y) => x - y)).toEqual([
      50,
      MAX_EVENTS_PER_JOB,
      MAX_EVENTS_PER_JOB,
    ]);
    const codes = jobs.flatMap((j) =>
      eventsOfJob(j.data).map((e) => (e as { payload: { code: string } }).payload.code),
    );
    expect(new Set(codes).size).toBe(250);
    expect(await outboxBacklog(t.db)).toEqual({ pending: 0, oldestAgeSeconds: 0 });
  });
  it('hears of a commit that wrote events at once, without waiting for its idle tick', async () => {
    const relay = new OutboxRelay({ db: t.db, bus: t.bus, logger: t.logger, idleMs: 60_000 });
    relay.start();
    await new Promise((r) => setTimeout(r, 200)); // the first round found nothing and sleeps for a minute
    const id = await withTransaction(t.db, (tx) => emitEvent(tx, 'dossier.received', received('E-1'), opts));
    await eventually(async () => ((await queuedEventIds()).includes(id) ? true : undefined), {
      timeoutMs: 3000,
      what: 'the event on the queue',
    });
    await relay.stop();
  });

  it('sends again what Redis lost since it last saw its marker, and nothing otherwise', async () => {
    const relay = new OutboxRelay({ db: t.db, bus: t.bus, logger: t.logger, name: 'lost-test' });
    expect(await relay.sweepLost()).toBe(0); // first look: the marker is set
    const id = await withTransaction(t.db, (tx) => emitEvent(tx, 'dossier.received', received('F-1'), opts));
    expect(await relay.relayOnce()).toBe(1);
    expect(await relay.sweepLost()).toBe(0); // Redis still holds everything
    // Redis comes back empty (a restart without persistence): the queue and the marker are gone.
    const keys = await t.redis.keys(`${t.bus.prefix}:*`);
    if (keys.length) await t.redis.del(...keys);
    expect(await queuedEventIds()).toEqual([]);
    expect(await relay.sweepLost()).toBe(1);
    expect(await relay.relayOnce()).toBe(1);
    expect(await queuedEventIds()).toEqual([id]);
    await relay.stop();
  });

  it('backs off and records the error when the queue cannot be reached', async () => {
    await withTransaction(t.db, (tx) => emitEvent(tx, 'dossier.received', received('D-1'), opts));
    const relay = new OutboxRelay({
      db: t.db,
      bus: t.bus,
      logger: t.logger,
      baseBackoffMs: 60_000,
      enqueue: async () => {
        throw new Error('Connection is closed.');
      },
    });
    expect(await relay.relayOnce()).toBe(0);
    const row = await t.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(row.attempts).toBe(1);
    expect(row.sent_at).toBeNull();
    expect(row.last_error).toBeTruthy();
    expect(row.available_at.getTime()).toBeGreaterThan(Date.now() + 50_000);
    // Not due yet: a second round leaves it alone.
    expect(await relay.relayOnce()).toBe(0);
    expect((await t.db.selectFrom('outbox').select('attempts').executeTakeFirstOrThrow()).attempts).toBe(1);
    await relay.stop();
  });
});

describe('idempotent consumer', () => {
  it('applies an event once even when it is delivered twice', async () => {
    await t.db.schema.createTable('counter').ifNotExists().addColumn('n', 'integer').execute();
    await t.db.deleteFrom('counter' as never).execute();
    const event = { id: '0b8f4c52-7e2d-4f1a-9d3c-5e6f7a8b9c0d', type: 'dossier.received' };
    const apply = () =>
      applyOnce(t.db, 'kpi.events', event, async (tx) => {
        await tx
          .insertInto('counter' as never)
          .values({ n: 1 } as never)
          .execute();
      });
    const results = await Promise.all([apply(), apply(), apply()]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const rows = await t.db
      .selectFrom('counter' as never)
      .selectAll()
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('applies nothing when the handler fails, so a retry can apply it', async () => {
    const event = { id: '1c9e5d63-8f3e-4a2b-8e4d-6f7a8b9c0d1e', type: 'dossier.received' };
    await expect(
      applyOnce(t.db, 'kpi.events', event, async () => {
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    expect(await applyOnce(t.db, 'kpi.events', event, async () => undefined)).toBe(true);
  });
});
