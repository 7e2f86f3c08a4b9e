import { envelopeOf, type OutboxEventRow } from '@tthc/bus';
import { queues } from '@tthc/contracts';
import { eventually } from '@tthc/testkit';
import { Queue } from 'bullmq';
import { SignJWT } from 'jose';
import { sql } from 'kysely';
import { startSuite, TEST_JWT_SECRET, type Suite } from '../support/suite';

/**
 * Dossiers driven through intake over a quarter, then the kpi figures read through the gateway as
 * a reporter and a scoped leader, checked against a direct computation over intake's own tables;
 * every event delivered again; a fact deleted on purpose found and repaired by reconciliation.
 */
let suite: Suite;
let now = new Date('2026-01-05T02:00:00Z');
const at = (local: string) => {
  now = new Date(`${local.replace(' ', 'T')}:00+07:00`);
};

beforeAll(async () => {
  suite = await startSuite(() => now);
}, 60_000);
afterAll(() => suite.close());

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = suite.adminHeaders,
) {
  const res = await fetch(suite.url + path, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    etag: res.headers.get('etag') ?? '',
    body: text ? (JSON.parse(text) as any) : undefined,
  };
}
const officer = async (roles: string[], agencyCode: string | null) => ({
  authorization: `Bearer ${await new SignJWT({ roles, agency_code: agencyCode })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(`officer.${roles[0]}`)
    .setIssuer('https://sso.test')
    .setAudience('tthc')
    .setIssuedAt()
    .setExpirationTime('30m')
    .sign(new TextEncoder().encode(TEST_JWT_SECRET))}`,
});

const act = async (code: string, path: string, body: unknown = {}) => {
  const current = await call('GET', `/v1/dossiers/${code}`);
  const res = await call('POST', `/v1/dossiers/${code}/${path}`, body, {
    ...suite.adminHeaders,
    'if-match': current.etag,
  });
  expect({ code, path, status: res.status, detail: res.body?.detail }).toEqual({
    code,
    path,
    status: 200,
    detail: undefined,
  });
  return res.body as { code: string };
};
const file = async (
  procedureCode: string,
  channel: 'direct' | 'online' | 'postal',
  source: 'desk' | 'portal' = 'desk',
) => {
  const res = await call('POST', '/v1/dossiers', {
    procedureCode,
    source,
    channel,
    applicant: { kind: 'person', fullName: 'Nguyễn Văn An', phone: '0903123456' },
    components: [{ name: 'Đơn đề nghị', digitized: true }],
  });
  expect(res.status).toBe(201);
  return res.body.code as string;
};

const METHODS = (['direct', 'online', 'postal'] as const).map((channel) => ({
  channel,
  processingTime: { value: 10, unit: 'working_days' },
  fees: [{ name: 'Phí thẩm định', amount: 300000 }],
  note: null,
}));
async function publish(code: string, fieldCode: string, deciding: string) {
  const created = await call('POST', '/v1/procedures', {
    code,
    name: `Thủ tục ${code}`,
    fieldCode,
    decidingAgencyCode: deciding,
    receivingAgencyCode: '000.20.17.H55',
    authorityLevel: 'province',
    steps: ['Nộp hồ sơ', 'Thẩm định', 'Trả kết quả'],
    methods: METHODS,
    components: [{ case: null, name: 'Đơn đề nghị', originals: 1, copies: 0, formTemplate: null }],
    conditions: [],
    result: { name: 'Giấy phép', isPaperDocument: false },
    applicantTypes: ['person'],
    legalBasis: [
      { number: '105/2016/QH13', title: 'Luật Dược', issuedOn: '2016-04-06', effectiveFrom: '2017-01-01' },
    ],
    interAgency: null,
    onlineLevel: 'full',
    legacyLevel: 4,
  });
  expect(created.status).toBe(201);
  const res = await call(
    'POST',
    `/v1/procedures/${code}/publish`,
    { decisionNumber: '12/QĐ-UBND', signedOn: '2025-12-20', effectiveFrom: '2026-01-02' },
    { ...suite.adminHeaders, 'if-match': created.etag },
  );
  expect(res.status).toBe(200);
}

/** Biểu 06 computed straight from intake's own tables: its dates, statuses and verdicts. */
async function fromIntake(from: string, to: string) {
  const intake = suite.resources.dbFor<any>('intake');
  const { rows } = await sql<Record<string, number>>`
    with d as (
      select channel, status, timeliness,
        (received_at at time zone 'Asia/Ho_Chi_Minh')::date as rd,
        (ended_at at time zone 'Asia/Ho_Chi_Minh')::date as ed,
        (coalesce(legal_due_at, original_due_at, due_at) at time zone 'Asia/Ho_Chi_Minh')::date as ld
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
  return {
    ...r,
    received: (r['receivedOnline'] ?? 0) + (r['receivedDirectPostal'] ?? 0) + (r['carriedOver'] ?? 0),
    inProgressWithinTime: (r['inProgress'] ?? 0) - (r['inProgressOverdue'] ?? 0),
  };
}

const PERIODS = [
  ['2026-Q1', '2026-01-01', '2026-03-31'],
  ['2026-Q2', '2026-04-01', '2026-06-30'],
  ['2026-01', '2026-01-01', '2026-01-31'],
] as const;
let reporter: Record<string, string>;
const tableTotal = async (period: string) =>
  (await call('GET', `/v1/kpi/statistics?period=${period}`, undefined, reporter)).body.total.figures;
const agreeWithIntake = (what: string) =>
  eventually(
    async () => {
      for (const [period, from, to] of PERIODS) {
        const [mine, theirs] = [await tableTotal(period), await fromIntake(from, to)];
        if (JSON.stringify(mine) !== JSON.stringify({ ...mine, ...theirs })) return undefined;
      }
      return true;
    },
    { what, timeoutMs: 30_000 },
  );
const codes: Record<string, string> = {};

describe('kpi figures from dossiers driven through intake', () => {
  it('builds a quarter of dossiers of two agencies through the gateway', async () => {
    reporter = await officer(['reporter'], null);
    expect((await call('POST', '/v1/fields', { code: 'DUOC_PHAM', name: 'Dược phẩm' })).status).toBe(201);
    expect((await call('POST', '/v1/fields', { code: 'ATTP', name: 'An toàn thực phẩm' })).status).toBe(201);
    for (const a of [
      {
        code: '000.00.00.H55',
        name: 'UBND tỉnh',
        parentCode: null,
        level: 'province',
        kind: 'people_committee',
      },
      {
        code: '000.00.17.H55',
        name: 'Sở Y tế',
        parentCode: '000.00.00.H55',
        level: 'province',
        kind: 'department',
      },
      {
        code: '000.01.17.H55',
        name: 'Chi cục An toàn vệ sinh thực phẩm',
        parentCode: '000.00.17.H55',
        level: 'province',
        kind: 'sub_department',
      },
      {
        code: '000.20.17.H55',
        name: 'Trung tâm Phục vụ hành chính công',
        parentCode: '000.00.00.H55',
        level: 'province',
        kind: 'service_center',
      },
    ]) {
      expect((await call('POST', '/v1/agencies', a)).status).toBe(201);
    }
    await publish('1.004579', 'DUOC_PHAM', '000.00.17.H55');
    await publish('1.001111', 'ATTP', '000.01.17.H55');
    at('2026-01-05 09:00');
    codes['early'] = await eventually(async () => file('1.004579', 'direct').catch(() => undefined), {
      what: 'intake to know the procedures',
    });
    codes['supplement'] = await file('1.004579', 'online', 'portal');
    at('2026-01-06 09:00');
    // The code is issued at acceptance: the submission's provisional reference gives way to it.
    codes['supplement'] = (await act(codes['supplement'], 'accept')).code;
    codes['payment'] = await eventually(async () => file('1.001111', 'direct').catch(() => undefined), {
      what: 'intake to know the second procedure',
    });
    at('2026-01-07 09:00');
    await act(codes['supplement'], 'request-supplement', {
      reason: 'Thiếu giấy tờ',
      items: ['Giấy khám sức khỏe'],
    });
    await act(codes['payment'], 'request-payment', { amount: 300000, reason: 'Phí thẩm định' });
    at('2026-01-08 09:00');
    codes['withdrawn'] = await file('1.004579', 'direct');
    at('2026-01-09 09:00');
    await act(codes['early'], 'resolve', { eResult: true, resultDigitized: true });
    expect(
      (
        await call('POST', `/v1/dossiers/${codes['payment']}/payments`, {
          amount: 300000,
          method: 'national_portal',
          online: true,
          receiptNumber: 'BL-1',
        })
      ).status,
    ).toBe(200);
    at('2026-01-12 09:00');
    await act(codes['supplement'], 'complete-supplement');
    at('2026-01-21 16:00'); // due 19/1 (Saturday 10/1 is worked), + 2 working days waiting to pay
    await act(codes['payment'], 'resolve', { eResult: true, resultDigitized: true });
    at('2026-01-30 09:00');
    await act(codes['withdrawn'], 'withdraw', { reason: 'Công dân xin rút hồ sơ' });
    at('2026-02-02 09:00');
    await act(codes['supplement'], 'resolve', { eResult: false });
    codes['rescheduled'] = await file('1.004579', 'direct');
    at('2026-02-06 09:00');
    await act(codes['rescheduled'], 'reschedule', {
      reason: 'Cần thẩm định thực tế',
      newDueAt: '2026-03-06T10:00:00.000Z',
    });
    at('2026-03-02 09:00');
    await act(codes['rescheduled'], 'resolve', { eResult: true });
    codes['overdue'] = await file('1.001111', 'direct');
    at('2026-03-03 09:00');
    codes['refused'] = await file('1.004579', 'online', 'portal');
    at('2026-03-04 09:00');
    await act(codes['refused'], 'refuse', { reason: 'Không đúng thẩm quyền' });
    at('2026-03-09 09:00');
    codes['stopped'] = await file('1.001111', 'direct');
    at('2026-03-10 09:00');
    await act(codes['stopped'], 'stop', { reason: 'Cơ sở không đủ điều kiện' });
    at('2026-03-20 09:00');
    codes['nextQuarter'] = await file('1.004579', 'postal');
    at('2026-03-23 09:00');
    codes['waiting'] = await file('1.004579', 'direct');
    at('2026-03-24 09:00');
    await act(codes['waiting'], 'request-payment', { amount: 300000, reason: 'Phí thẩm định' });
    at('2026-04-07 09:00');
    await act(codes['nextQuarter'], 'resolve', { eResult: true });
    at('2026-04-08 09:00');
  });

  it('gives, through the gateway, the figures a direct computation over intake’s own tables gives', async () => {
    await agreeWithIntake('kpi to agree with intake');
    expect(await tableTotal('2026-Q1')).toMatchObject({
      received: 9,
      resolved: 6,
      resolvedLate: 2,
      inProgress: 3,
      inProgressOverdue: 1,
    });
  });

  it('changes nothing when every event is delivered again, even to a consumer that forgot it had seen them', async () => {
    const kpi = suite.resources.dbFor<any>('kpi');
    const intake = suite.resources.dbFor<any>('intake');
    const snapshot = async () =>
      (await kpi.selectFrom('dossiers').selectAll().orderBy('code').execute()).map(
        ({ updated_at: _u, ...r }: Record<string, unknown>) => r,
      );
    const before = {
      rows: await snapshot(),
      q1: await tableTotal('2026-Q1'),
      q2: await tableTotal('2026-Q2'),
    };
    const queue = new Queue(queues.kpiEvents, {
      connection: suite.resources.redis,
      prefix: suite.resources.bus.prefix,
    });
    const outbox = await intake.selectFrom('outbox').selectAll().orderBy('occurred_at').execute();
    for (const round of ['again', 'forgotten']) {
      if (round === 'forgotten') await kpi.deleteFrom('processed_events').execute();
      for (const row of outbox.filter(
        (r: Record<string, any>) =>
          String(r['type']).startsWith('dossier.') || String(r['type']).startsWith('procedure.'),
      )) {
        await queue.add(row.type, envelopeOf(row as OutboxEventRow), { jobId: `${row.id}-${round}` });
      }
      await eventually(
        async () => {
          const c = await queue.getJobCounts('waiting', 'active', 'delayed');
          return c['waiting'] === 0 && c['active'] === 0 && c['delayed'] === 0 ? true : undefined;
        },
        { what: `the ${round} delivery to drain`, timeoutMs: 30_000 },
      );
      expect(await snapshot()).toEqual(before.rows);
      expect({ q1: await tableTotal('2026-Q1'), q2: await tableTotal('2026-Q2') }).toEqual({
        q1: before.q1,
        q2: before.q2,
      });
    }
    await queue.close();
  });

  it('answers the statistics table for a quarter, the indicator set and a drill-down as long as its cell', async () => {
    const table = await call(
      'GET',
      '/v1/kpi/statistics?period=2026-Q1&agencyCode=000.00.17.H55&byProcedure=true',
      undefined,
      reporter,
    );
    expect(table.status).toBe(200);
    // Below Sở Y tế by electronic code: its Chi cục (and the service centre 000.20.17.H55, which
    // receives but decides nothing, so counts no dossier of its own).
    expect(table.body.agencies).toMatchObject({ reportingAgency: '000.00.17.H55', tree: 'code' });
    expect(table.body.agencies.agencyCodes).toEqual(
      expect.arrayContaining(['000.00.17.H55', '000.01.17.H55']),
    );
    expect(table.body.rows.map((r: { id: string }) => r.id)).toEqual([
      'level:province',
      'field:province:ATTP',
      'procedure:province:ATTP:1.001111',
      'field:province:DUOC_PHAM',
      'procedure:province:DUOC_PHAM:1.004579',
    ]);
    for (const row of [table.body.total, ...table.body.rows]) {
      for (const [column, value] of Object.entries(row.figures)) {
        let listed = 0;
        let cursor: string | null = null;
        do {
          const page = await call(
            'GET',
            `/v1/kpi/statistics/drill-down?period=2026-Q1&agencyCode=000.00.17.H55&row=${encodeURIComponent(row.id)}&column=${column}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
            undefined,
            reporter,
          );
          expect(page.status).toBe(200);
          listed += page.body.items.length;
          cursor = page.body.nextCursor;
        } while (cursor);
        expect({ row: row.id, column, listed }).toEqual({ row: row.id, column, listed: value });
      }
    }
    const late = await call(
      'GET',
      '/v1/kpi/statistics/drill-down?period=2026-Q1&column=resolvedLate',
      undefined,
      reporter,
    );
    expect(late.body.items.map((i: { code: string }) => i.code).sort()).toEqual(
      [codes['supplement'], codes['rescheduled']].sort(),
    );

    const csv = await fetch(`${suite.url}/v1/kpi/statistics/csv?period=2026-Q1`, { headers: reporter });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);

    const set = await call(
      'GET',
      '/v1/kpi/indicators?period=2026-Q1&agencyCode=000.00.17.H55&compare=true',
      undefined,
      reporter,
    );
    expect(set.status).toBe(200);
    const criteria = new Map<string, any>(
      set.body.groups.flatMap((g: { criteria: any[] }) => g.criteria).map((c: any) => [c.id, c]),
    );
    expect(criteria.size).toBe(20);
    expect(criteria.get('online.dossiers_online')).toMatchObject({ numerator: 1, denominator: 9 });
    expect(criteria.get('transparency.synced_national_portal')).toMatchObject({ status: 'not_applicable' });
    const progress = await call(
      'GET',
      `/v1/kpi/indicators/progress.on_time?period=2026-Q1&part=denominator&limit=200`,
      undefined,
      reporter,
    );
    expect(progress.body.drillDown.items).toHaveLength(progress.body.criterion.denominator);
  });

  it('keeps a scoped leader to its agencies: its own table, 403 naming the field for another', async () => {
    const leader = await officer(['leader'], '000.01.17.H55');
    const own = await call('GET', '/v1/kpi/statistics?period=2026-Q1', undefined, leader);
    expect(own.status).toBe(200);
    expect(own.body.rows.map((r: { id: string }) => r.id)).toEqual(['level:province', 'field:province:ATTP']);
    const other = await call(
      'GET',
      '/v1/kpi/statistics?period=2026-Q1&agencyCode=000.00.17.H55',
      undefined,
      leader,
    );
    expect(other.status).toBe(403);
    expect(other.body.errors).toEqual([expect.objectContaining({ pointer: '/agencyCode' })]);
  });

  it('finds a fact deleted on purpose by reconciliation with intake, and repairs it', async () => {
    const kpi = suite.resources.dbFor<any>('kpi');
    const lost = await kpi
      .selectFrom('dossiers')
      .select('dossier_id')
      .where('code', '=', codes['rescheduled'])
      .executeTakeFirstOrThrow();
    await kpi.deleteFrom('dossier_events').where('dossier_id', '=', lost.dossier_id).execute();
    await kpi.deleteFrom('dossiers').where('dossier_id', '=', lost.dossier_id).execute();

    const started = await call('POST', '/v1/kpi/reconciliations', { from: '2026-01-01', to: '2026-04-08' });
    expect(started.status).toBe(202);
    const run = await eventually(
      async () => {
        const r = await call('GET', `/v1/kpi/reconciliations/${started.body.id}`, undefined, reporter);
        return r.body.status === 'done' || r.body.status === 'failed' ? r.body : undefined;
      },
      { what: 'the reconciliation', timeoutMs: 30_000 },
    );
    expect(run).toMatchObject({ status: 'done', differingCells: 1 });
    expect(run.drift).toEqual([
      expect.objectContaining({
        code: codes['rescheduled'],
        kind: 'missing_in_kpi',
        kpi: null,
        intake: expect.objectContaining({ status: 'resolved' }),
      }),
    ]);

    expect((await call('POST', `/v1/kpi/reconciliations/${run.id}/repair`)).status).toBe(202);
    const repaired = await eventually(
      async () => {
        const r = await call('GET', `/v1/kpi/reconciliations/${run.id}`, undefined, reporter);
        return r.body.repair?.status === 'done' || r.body.repair?.status === 'failed' ? r.body : undefined;
      },
      { what: 'the repair', timeoutMs: 30_000 },
    );
    expect(repaired.repair).toMatchObject({
      status: 'done',
      result: { replayedDossiers: 1, notInIntake: 0 },
    });
    await agreeWithIntake('the repaired facts to agree with intake');

    const again = await call('POST', '/v1/kpi/reconciliations', { from: '2026-01-01', to: '2026-04-08' });
    const clean = await eventually(
      async () => {
        const r = await call('GET', `/v1/kpi/reconciliations/${again.body.id}`, undefined, reporter);
        return r.body.status === 'done' ? r.body : undefined;
      },
      { what: 'the second reconciliation', timeoutMs: 30_000 },
    );
    expect(clean.drift).toEqual([]);
  });
});
