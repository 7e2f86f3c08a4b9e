import { randomUUID } from 'node:crypto';
import { queues } from '@tthc/contracts';
import { eventually, openTestResources, type TestResources } from '@tthc/testkit';
import { QueueEvents, type Worker } from 'bullmq';
import { JobProducer, startJobWorker } from '../src';

let t: TestResources<unknown>;
let producer: JobProducer;
let events: QueueEvents;
let eventsConnection: ReturnType<TestResources<unknown>['redis']['duplicate']>;
const workers: Worker[] = [];

beforeAll(async () => {
  t = await openTestResources('bus_jobs');
  producer = new JobProducer(t.bus);
  eventsConnection = t.redis.duplicate();
  events = new QueueEvents(queues.reportsRender, { connection: eventsConnection, prefix: t.bus.prefix });
  await events.waitUntilReady();
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await events.close();
  eventsConnection.disconnect();
  await producer.close();
  await t.close();
});

describe('a typed job worker', () => {
  it('refuses to start without a handler for every job of its queue, or with a handler for another queue’s job', () => {
    expect(() =>
      startJobWorker({ queue: queues.kpiJobs, bus: t.bus, logger: t.logger, handlers: {} as never }),
    ).toThrow(/no handler for kpi\.count-received/);
    expect(() =>
      startJobWorker({
        queue: queues.reportsRender,
        bus: t.bus,
        logger: t.logger,
        handlers: {
          'reports.render': async (d: { reportId: string }) => d,
          'kpi.count-received': async () => ({}),
        } as never,
      }),
    ).toThrow(/kpi\.count-received not on this queue/);
  });

  it('hands the handler parsed data and returns its result; data that does not read fails at once, without retries', async () => {
    const seen: string[] = [];
    workers.push(
      startJobWorker({
        queue: queues.reportsRender,
        bus: t.bus,
        logger: t.logger,
        handlers: {
          'reports.render': async (data) => {
            seen.push(data.reportId);
            return { reportId: data.reportId };
          },
        },
      }),
    );
    const id = randomUUID();
    const ok = await producer.add('reports.render', { reportId: id });
    expect(await ok.waitUntilFinished(events, 10_000)).toEqual({ reportId: id });
    expect(seen).toEqual([id]);

    // A producer validates; a raw add (another producer) is refused by the worker.
    await expect(producer.add('reports.render', { reportId: 'not-a-uuid' })).rejects.toThrow();
    const bad = await producer
      .queue(queues.reportsRender)
      .add('reports.render', { reportId: 'not-a-uuid' }, { attempts: 3 });
    await expect(bad.waitUntilFinished(events, 10_000)).rejects.toThrow(/does not read: reportId/);
    const failed = await eventually(async () => {
      const j = await producer.queue(queues.reportsRender).getJob(String(bad.id));
      return (await j?.isFailed()) ? j : undefined;
    });
    expect(failed?.attemptsMade).toBe(1);
    expect(seen).toEqual([id]);
  });
});
