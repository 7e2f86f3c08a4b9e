import { envelopeOf } from '@tthc/bus';
import { queues } from '@tthc/contracts';
import { eventually } from '@tthc/testkit';
import { Queue, type Worker } from 'bullmq';
import { sql } from 'kysely';
import { startSyncEventsConsumer } from '../src/national-sync/workers/sync-events.worker';
import { desk, startIntake, type Harness } from './harness';

let h: Harness;
let consumer: Worker;
let queue: Queue;

beforeAll(async () => {
  h = await startIntake();
  consumer = startSyncEventsConsumer({
    db: h.t.db,
    bus: h.t.bus,
    logger: h.t.logger,
    clock: h.now,
    client: null,
  });
  queue = new Queue(queues.intakeNationalSync, { connection: h.t.redis, prefix: h.t.bus.prefix });
});
afterAll(async () => {
  await queue.close();
  await consumer.close();
  await h.close();
});

describe('the national sync consumer while no portal is configured', () => {
  it('takes every dossier event off its queue without a transaction: no inbox row, no push queued', async () => {
    const res = await h.call('POST', '/v1/dossiers', desk());
    expect(res.statusCode).toBe(201);
    const rows = await h.t.db
      .selectFrom('outbox')
      .selectAll()
      .where('entity_id', '=', res.json().id)
      .orderBy('entity_version')
      .execute();
    expect(rows.length).toBeGreaterThan(0);
    const jobs = await queue.addBulk(
      rows.map((row) => ({
        name: row.type,
        data: envelopeOf(row),
        opts: { jobId: row.id },
      })),
    );
    const answers = await eventually(async () => {
      const states = await Promise.all(jobs.map(async (j) => (await queue.getJob(j.id!))!));
      const done = await Promise.all(states.map((s) => s.getState()));
      return done.every((s) => s === 'completed') ? states.map((s) => s.returnvalue) : undefined;
    });
    expect(answers).toEqual(rows.map(() => ({ applied: 0, duplicates: 0, skipped: 1, parked: 0 })));
    const inbox = await sql<{ n: number }>`
      select count(*)::int as n from processed_events where queue = ${queues.intakeNationalSync}`.execute(
      h.t.db,
    );
    expect(inbox.rows[0]!.n).toBe(0);
    const pushes = await sql<{ n: number }>`select count(*)::int as n from national_sync_pushes`.execute(
      h.t.db,
    );
    expect(pushes.rows[0]!.n).toBe(0);
  });
});
