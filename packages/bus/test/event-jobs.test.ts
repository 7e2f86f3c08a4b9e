import { randomUUID } from 'node:crypto';
import { eventsRoutedTo, queues } from '@tthc/contracts';
import { migrateSchema, withTransaction } from '@tthc/db';
import { eventually, openTestResources, type TestResources } from '@tthc/testkit';
import { Queue, type Worker } from 'bullmq';
import { sql, type Transaction } from 'kysely';
import {
  createDeadLettersTable,
  createOutboxTable,
  createProcessedEventsTable,
  emitEvent,
  envelopeOf,
  eventsJobsOf,
  OutboxRelay,
  startConsumer,
  type BusTables,
  type EventHandlers,
} from '../src';
import { receivedPayload } from './support/events';

const SCHEMA = 'bus_event_jobs';
const QUEUE = queues.kpiEvents;
const received = (code: string) => receivedPayload(code);

let t: TestResources<BusTables>;
let queue: Queue;
let worker: Worker | undefined;
/** Codes whose handler throws, and how many more times it will. */
const failing = new Map<string, number>();

const handlers: EventHandlers = Object.fromEntries(
  eventsRoutedTo(QUEUE).map((type) => [
    type,
    async (event: { payload: { code?: string } }, tx: Transaction<any>) => {
      const code = event.payload.code ?? '';
      await sql`insert into applied (code) values (${code})`.execute(tx);
      const left = failing.get(code) ?? 0;
      if (left > 0) {
        failing.set(code, left - 1);
        throw new Error(`cannot apply ${code}`);
      }
    },
  ]),
);

beforeAll(async () => {
  t = await openTestResources<BusTables>(SCHEMA);
  await migrateSchema(t.db, SCHEMA, {
    '0001_bus': {
      up: async (db) => {
        await createOutboxTable(db);
        await createProcessedEventsTable(db);
        await createDeadLettersTable(db);
        await sql`create table applied (n bigserial primary key, code text not null)`.execute(db);
      },
    },
  });
  queue = new Queue(QUEUE, { connection: t.redis, prefix: t.bus.prefix });
});
afterEach(async () => {
  await worker?.close();
  worker = undefined;
  failing.clear();
});
afterAll(async () => {
  await queue.close();
  await t.close();
});

const start = (options: { batch?: boolean } = {}) =>
  (worker = startConsumer({
    queue: QUEUE,
    db: t.db,
    bus: t.bus,
    logger: t.logger,
    handlers,
    parkDeadLetters: true,
    ...options,
  }));

/** Codes as they were applied (a failed attempt's rows roll back with its transaction). */
const appliedCodes = async (prefix: string) =>
  (
    await sql<{ code: string }>`select code from applied where code like ${`${prefix}%`} order by n`.execute(
      t.db,
    )
  ).rows.map((r) => r.code);

/** Writes the events to the outbox and relays them: one job of events, as in production. */
async function relayed(codes: string[]): Promise<void> {
  await withTransaction(t.db, async (tx) => {
    for (const [i, code] of codes.entries())
      await emitEvent(tx, 'dossier.received', received(code), {
        source: 'test',
        entityId: code,
        entityVersion: 1,
        occurredAt: new Date(Date.UTC(2026, 10, 23, 2, 0, i)),
      });
  });
  const relay = new OutboxRelay({ db: t.db, bus: t.bus, logger: t.logger });
  expect(await relay.relayOnce()).toBe(codes.length);
  await relay.stop();
}

const deadLetters = async () =>
  (
    await sql<{ event_id: string | null; reason: string; job_id: string }>`
      select event_id, reason, job_id from dead_letters order by parked_at`.execute(t.db)
  ).rows;

describe('jobs of events', () => {
  it('are applied event by event in the order they happened, each once', async () => {
    await relayed(['A-1', 'A-2', 'A-3', 'A-4', 'A-5']);
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
    start();
    await eventually(async () => ((await appliedCodes('A-')).length === 5 ? true : undefined), {
      what: 'the five events applied',
    });
    expect(await appliedCodes('A-')).toEqual(['A-1', 'A-2', 'A-3', 'A-4', 'A-5']);
  });

  it('retry only what failed: the others of the job are not applied twice', async () => {
    failing.set('B-2', 1);
    await relayed(['B-1', 'B-2', 'B-3']);
    // The relay's job options: ten attempts, the second after a second.
    start();
    await eventually(async () => ((await appliedCodes('B-')).length === 3 ? true : undefined), {
      what: 'the failed event applied on the second attempt',
      timeoutMs: 10_000,
    });
    expect(await appliedCodes('B-')).toEqual(['B-1', 'B-3', 'B-2']);
    expect(await deadLetters()).toEqual([]);
  });

  it('park what does not read and what still fails on the last attempt, one letter each', async () => {
    await sql`delete from dead_letters`.execute(t.db);
    failing.set('C-3', 99);
    const good = envelopeOf({
      id: randomUUID(),
      type: 'dossier.received',
      schema_version: 1,
      source: 'test',
      entity_id: 'C-1',
      entity_version: 1,
      occurred_at: new Date(),
      request_id: null,
      payload: received('C-1'),
    });
    const broken = { ...good, id: randomUUID(), payload: { ...received('C-2'), code: 42 } };
    const failingForGood = { ...good, id: randomUUID(), payload: received('C-3') };
    const [job] = eventsJobsOf([good, broken as never, failingForGood]);
    await queue.add(job!.name, job!.data, { jobId: job!.opts.jobId, attempts: 2, backoff: 10 });
    start({ batch: true });
    const letters = await eventually(
      async () => {
        const rows = await deadLetters();
        return rows.length === 2 ? rows : undefined;
      },
      { what: 'two letters' },
    );
    expect(letters.map((l) => l.event_id).sort()).toEqual([broken.id, failingForGood.id].sort());
    expect(letters.find((l) => l.event_id === broken.id)?.reason).toMatch(/payload\/code/);
    expect(letters.find((l) => l.event_id === failingForGood.id)?.reason).toBe('cannot apply C-3');
    expect(letters.every((l) => l.job_id === job!.opts.jobId)).toBe(true);
    expect(await appliedCodes('C-1')).toEqual(['C-1']);
    await eventually(
      async () => ((await (await queue.getJob(job!.opts.jobId))?.isCompleted()) ? true : undefined),
      {
        what: 'the job completed',
      },
    );
  });

  it('read a job of one event, as an older relay sent it', async () => {
    const e = envelopeOf({
      id: randomUUID(),
      type: 'dossier.received',
      schema_version: 1,
      source: 'test',
      entity_id: 'D-1',
      entity_version: 1,
      occurred_at: new Date(),
      request_id: null,
      payload: received('D-1'),
    });
    await queue.add(e.type, e, { jobId: e.id });
    start();
    await eventually(async () => ((await appliedCodes('D-')).length === 1 ? true : undefined), {
      what: 'the single event applied',
    });
  });
});
