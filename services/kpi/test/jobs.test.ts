import { JobProducer } from '@tthc/bus';
import { queues } from '@tthc/contracts';
import type { TestResources } from '@tthc/testkit';
import { QueueEvents } from 'bullmq';
import type { KpiDb } from '../src/db/schema';
import { createEntry, createTask } from '../src/plan/plan.commands';
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

  it('answers the plan counts job: the plan at the end of the period, the registers inside it', async () => {
    const actor = { sub: 'lanhdao.syt', name: null };
    const task = (
      agencyCode: string,
      origin: 'own' | 'province',
      dueOn: string,
      completedOn: string | null,
    ) =>
      createTask(t.db, actor, {
        agencyCode,
        year: 2026,
        origin,
        assignedBy: origin === 'province' ? 'Kế hoạch 10/KH-UBND' : null,
        title: `Nhiệm vụ hạn ${dueOn}`,
        ownerUnit: 'Văn phòng Sở',
        dueOn,
        status: completedOn ? 'done' : 'in_progress',
        completedOn,
        documents: [],
      });
    // Done on time; done late; completed only after the period (overdue at its end); due on a
    // Sunday 29/03 (working due 30/03): overdue; not yet due; a sub-agency's task (counted with
    // the department); another year's task (not counted).
    await task('000.00.17.H55', 'own', '2026-02-27', '2026-02-20');
    await task('000.00.17.H55', 'own', '2026-01-30', '2026-02-03');
    await task('000.00.17.H55', 'own', '2026-03-20', '2026-04-03');
    await task('000.00.17.H55', 'province', '2026-03-29', null);
    await task('000.00.17.H55', 'province', '2026-06-30', null);
    await task('000.01.17.H55', 'own', '2026-03-31', '2026-03-31');
    await createTask(t.db, actor, {
      agencyCode: '000.00.17.H55',
      year: 2025,
      origin: 'own',
      assignedBy: null,
      title: 'Nhiệm vụ năm trước',
      ownerUnit: 'Văn phòng Sở',
      dueOn: '2025-12-31',
      status: 'in_progress',
      completedOn: null,
      documents: [],
    });
    const entry = (
      kind: 'document' | 'inspection' | 'communication',
      onDate: string,
      findings: number | null,
    ) =>
      createEntry(t.db, actor, {
        agencyCode: '000.00.17.H55',
        kind,
        onDate,
        title: `${kind} ${onDate}`,
        documentNumber: kind === 'document' ? `${onDate.slice(8)}/KH-SYT` : null,
        findings,
        details: {},
      });
    await entry('document', '2026-01-05', null);
    await entry('document', '2026-04-01', null);
    await entry('inspection', '2026-03-31', 3);
    await entry('inspection', '2026-02-11', 2);
    await entry('communication', '2025-12-31', null);

    const job = await producer.add('kpi.plan-counts', { period: '2026-Q1', agencyCode: '000.00.17.H55' });
    const answer = await job.waitUntilFinished(events, 15_000);
    expect(answer).toMatchObject({
      period: { label: '2026-Q1', from: '2026-01-01', to: '2026-03-31' },
      agencies: {
        reportingAgency: '000.00.17.H55',
        agencyCodes: expect.arrayContaining(['000.00.17.H55', '000.01.17.H55']),
      },
      year: 2026,
      on: '2026-03-31',
      tasks: { total: 6, done: 3, doneLate: 1, inProgress: 1, overdue: 2 },
      own: { total: 4, done: 3, doneLate: 1, inProgress: 0, overdue: 1 },
      province: { total: 2, done: 0, doneLate: 0, inProgress: 1, overdue: 1 },
      registers: { documents: 1, inspections: 2, findings: 5, communication: 0 },
    });
    // The single agency, without its sub-agencies.
    const single = await producer.add('kpi.plan-counts', {
      period: '2026-Q1',
      agencyCode: '000.00.17.H55',
      includeSubAgencies: false,
    });
    expect((await single.waitUntilFinished(events, 15_000)).tasks).toEqual({
      total: 5,
      done: 2,
      doneLate: 1,
      inProgress: 1,
      overdue: 2,
    });
  });
});
