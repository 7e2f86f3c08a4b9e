import type { Identity } from '@tthc/contracts';
import { identityHeaders, type TestResources } from '@tthc/testkit';
import type { KpiDb } from '../src/db/schema';
import { openKpi, startKpiApp } from './support/harness';

/** The yearly reform plan and the registers through kpi's API, on a real database. */
const SYT = '000.00.17.H55';
const OTHER = '000.00.12.H55';
let t: TestResources<KpiDb>;
let kpi: Awaited<ReturnType<typeof startKpiApp>>;
const leader: Partial<Identity> = {
  sub: 'leader.syt',
  roles: ['leader'],
  agencyCode: SYT,
  agencyScope: [SYT],
  person: { id: 'tran.van.binh', name: 'Trần Văn Bình', unit: null },
};

async function call(
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  payload?: unknown,
  extra: Record<string, string> = {},
  who = leader,
) {
  const headers = await identityHeaders({ kind: 'officer', ...who } as Identity);
  const res = await kpi.app.inject({
    method,
    url,
    headers: { ...headers, ...extra },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
}

const task = (over: Record<string, unknown>) => ({
  agencyCode: SYT,
  year: 2026,
  origin: 'own',
  title: 'Rà soát thủ tục hành chính lĩnh vực dược',
  ownerUnit: 'Phòng Nghiệp vụ Dược',
  dueOn: '2026-06-30',
  status: 'not_started',
  ...over,
});

beforeAll(async () => {
  t = await openKpi();
  kpi = await startKpiApp(t);
});
afterAll(async () => {
  await kpi.app.close();
  await t.close();
});

describe('the reform plan', () => {
  let holidayTask = '';
  it('takes own and province tasks, refusing inconsistent ones by field', async () => {
    const a = await call(
      'POST',
      '/v1/kpi/plan-tasks',
      task({ dueOn: '2026-04-30', title: 'Kế hoạch tuyên truyền CCHC' }),
    );
    expect(a.status).toBe(201);
    holidayTask = a.body.id;
    expect(
      (
        await call(
          'POST',
          '/v1/kpi/plan-tasks',
          task({ dueOn: '2026-04-29', status: 'done', completedOn: '2026-04-28' }),
        )
      ).status,
    ).toBe(201);
    expect(
      (
        await call(
          'POST',
          '/v1/kpi/plan-tasks',
          task({ origin: 'province', assignedBy: 'Kế hoạch 10/KH-UBND', dueOn: '2026-09-30' }),
        )
      ).status,
    ).toBe(201);
    const done = await call('POST', '/v1/kpi/plan-tasks', task({ status: 'done' }));
    expect(done.status).toBe(422);
    expect(done.body.errors).toEqual([expect.objectContaining({ pointer: '/completedOn' })]);
    const province = await call('POST', '/v1/kpi/plan-tasks', task({ origin: 'province' }));
    expect(province.body.errors).toEqual([expect.objectContaining({ pointer: '/assignedBy' })]);
    expect((await call('POST', '/v1/kpi/plan-tasks', task({ agencyCode: OTHER }))).status).toBe(403);
  });

  it('counts tasks on a day with the working-day calendar (due on a holiday: the next working day)', async () => {
    const on = async (day: string) => (await call('GET', `/v1/kpi/plan-tasks/counts?on=${day}`)).body;
    const may3 = await on('2026-05-03');
    expect(may3.all).toEqual({ total: 3, done: 1, doneLate: 0, inProgress: 2, overdue: 0 });
    expect((await on('2026-05-04')).all).toMatchObject({ inProgress: 1, overdue: 1 });
    expect(may3.province).toMatchObject({ total: 1, inProgress: 1 });
  });

  it('changes a task with its version, keeping who changed what', async () => {
    const current = (await call('GET', '/v1/kpi/plan-tasks?year=2026')).body.items.find(
      (x: any) => x.id === holidayTask,
    );
    const body = {
      ...task({ dueOn: '2026-04-30', title: 'Kế hoạch tuyên truyền CCHC' }),
      status: 'done',
      completedOn: '2026-05-04',
    };
    const stale = await call('PUT', `/v1/kpi/plan-tasks/${holidayTask}`, body, { 'if-match': '"9"' });
    expect(stale.status).toBe(412);
    const ok = await call('PUT', `/v1/kpi/plan-tasks/${holidayTask}`, body, {
      'if-match': `"${current.version}"`,
    });
    expect(ok.status).toBe(200);
    expect((await call('GET', '/v1/kpi/plan-tasks/counts?on=2026-05-04')).body.all).toMatchObject({
      done: 2,
      doneLate: 0,
      overdue: 0,
    });
    const trail = await call('GET', `/v1/kpi/reform-audit?entity=plan_task&entityId=${holidayTask}`);
    expect(trail.body.items[0]).toMatchObject({
      action: 'changed',
      actor: 'tran.van.binh',
      actorName: 'Trần Văn Bình',
      before: { status: 'not_started' },
      after: { status: 'done', completedOn: '2026-05-04' },
    });
  });
});

describe('the registers', () => {
  it('record documents, inspections and communication, counted for the report', async () => {
    const add = (body: Record<string, unknown>) =>
      call('POST', '/v1/kpi/reform-registers', {
        agencyCode: SYT,
        onDate: '2026-03-10',
        title: 'Hoạt động',
        ...body,
      });
    expect(
      (await add({ kind: 'document', documentNumber: '45/KH-SYT', title: 'Kế hoạch CCHC 2026' })).status,
    ).toBe(201);
    expect((await add({ kind: 'inspection', findings: 3, documentNumber: '20/KL-SYT' })).status).toBe(201);
    expect((await add({ kind: 'inspection', findings: 2, onDate: '2026-06-01' })).status).toBe(201);
    expect((await add({ kind: 'communication', title: 'Hội nghị tập huấn CCHC' })).status).toBe(201);
    const noNumber = await add({ kind: 'document' });
    expect(noNumber.status).toBe(422);
    expect(noNumber.body.errors[0].pointer).toBe('/documentNumber');
    expect((await add({ kind: 'inspection' })).body.errors[0].pointer).toBe('/findings');
    const counts = (await call('GET', '/v1/kpi/plan-tasks/counts?on=2026-05-31')).body.registers;
    expect(counts).toEqual({ documents: 1, inspections: 1, findings: 3, communication: 1 });
    const listed = await call(
      'GET',
      '/v1/kpi/reform-registers?kind=inspection&from=2026-01-01&to=2026-12-31&limit=1',
    );
    expect(listed.body.items).toHaveLength(1);
    const next = await call(
      'GET',
      `/v1/kpi/reform-registers?kind=inspection&from=2026-01-01&to=2026-12-31&limit=1&cursor=${listed.body.nextCursor}`,
    );
    expect(next.body.items[0].findings).toBe(2);
  });
});
