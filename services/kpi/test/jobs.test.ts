import { JobProducer } from '@tthc/bus';
import { queues } from '@tthc/contracts';
import type { TestResources } from '@tthc/testkit';
import { QueueEvents } from 'bullmq';
import type { KpiDb } from '../src/db/schema';
import { startWorkers, type Workers } from '../src/workers';
import { applyEvents, openKpi, startKpiApp } from './support/harness';
import { dossier, vn } from './support/dossier-events';

let t: TestResources<KpiDb>;
let kpi: Awaited<ReturnType<typeof startKpiApp>>;
let workers: Workers;
let producer: JobProducer;
let events: QueueEvents;
let connection: ReturnType<TestResources<KpiDb>['redis']['duplicate']>;

beforeAll(async () => {
  t = await openKpi();
  kpi = await startKpiApp(t);
  workers = startWorkers({ db: t.db, bus: t.bus, logger: t.logger });
  producer = new JobProducer(t.bus);
  connection = t.redis.duplicate();
  events = new QueueEvents(queues.kpiJobs, { connection, prefix: t.bus.prefix });
  await events.waitUntilReady();
  await applyEvents(t.db, [
    ...dossier({ channel: 'online' })
      .received(vn('2026-02-02 09:00'), vn('2026-02-13 17:00'))
      .resolved(vn('2026-02-10 09:00')).events,
    ...dossier({ channel: 'direct', agencyCode: '000.01.17.H55' }).received(
      vn('2026-03-02 09:00'),
      vn('2026-03-13 17:00'),
    ).events,
  ]);
});
afterAll(async () => {
  await events.close();
  connection.disconnect();
  await producer.close();
  await workers.close();
  await kpi.app.close();
  await t.close();
});

describe('the figure sets as jobs for the reports service', () => {
  it('answers the statistics table job with what the API answers', async () => {
    const job = await producer.add('kpi.statistics-table', {
      period: '2026-Q1',
      agencyCode: '000.00.17.H55',
    });
    const answer = await job.waitUntilFinished(events, 15_000);
    const api = await kpi.get('/v1/kpi/statistics?period=2026-Q1&agencyCode=000.00.17.H55');
    expect(answer).toEqual(api.body);
    expect(answer.total.figures).toMatchObject({ received: 2, resolved: 1, inProgress: 1 });
  });

  it('answers the indicator set job for the agencies the reports service names', async () => {
    const job = await producer.add('kpi.indicator-set', { period: '2026-Q1', agencies: ['000.01.17.H55'] });
    const answer = await job.waitUntilFinished(events, 15_000);
    expect(answer.agencies).toEqual({
      reportingAgency: null,
      agencyCodes: ['000.01.17.H55'],
      tree: 'explicit',
    });
    const online = answer.groups
      .flatMap((g: { criteria: { id: string }[] }) => g.criteria)
      .find((c: { id: string }) => c.id === 'online.dossiers_online');
    expect(online).toMatchObject({ numerator: 0, denominator: 1 });
  });

  it('fails a job asking for an impossible period at once, naming the field, without retries', async () => {
    const job = await producer.add(
      'kpi.statistics-table',
      { from: '2026-03-01', to: '2026-02-01' },
      { attempts: 3 },
    );
    await expect(job.waitUntilFinished(events, 15_000)).rejects.toThrow(/\/to: the period ends/);
    const failed = await producer.queue(queues.kpiJobs).getJob(String(job.id));
    expect(failed?.attemptsMade).toBe(1);
  });
});
