import { eventually } from '@tthc/testkit';
import { startSuite, type Suite } from '../support/suite';

let suite: Suite;
let now = new Date('2026-11-23T02:00:00Z'); // Monday 23/11/2026, 09:00 in Hà Nội

beforeAll(async () => {
  suite = await startSuite(() => now);
});
afterAll(() => suite.close());

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(suite.url + path, {
    method,
    headers: {
      ...suite.adminHeaders,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  return { status: res.status, etag: res.headers.get('etag') ?? '', body: (await res.json()) as any };
}
/** Waits until the citizen's message of an event exists (before the test clock moves on). */
const messaged = (code: string, event: string) =>
  eventually(
    async () => {
      const r = await call('GET', `/v1/dossiers/${code}/notifications`);
      return (r.body.items ?? []).some((m: { event: string }) => m.event === event) ? true : undefined;
    },
    { what: `the ${event} message`, timeoutMs: 15_000 },
  );
const act = async (code: string, path: string, body: unknown = {}) => {
  const current = await call('GET', `/v1/dossiers/${code}`);
  const res = await call('POST', `/v1/dossiers/${code}/${path}`, body, { 'if-match': current.etag });
  expect({ path, status: res.status }).toEqual({ path, status: 200 });
  return res.body;
};

describe('a dossier through the gateway, from the portal to the post', () => {
  it('keeps the right due dates, timeliness and history, and its events reach kpi exactly once', async () => {
    await call('POST', '/v1/fields', { code: 'DUOC_PHAM', name: 'Dược phẩm' });
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
        code: '000.20.17.H55',
        name: 'Trung tâm Phục vụ hành chính công',
        parentCode: '000.00.00.H55',
        level: 'province',
        kind: 'service_center',
      },
    ]) {
      await call('POST', '/v1/agencies', a);
    }
    const created = await call('POST', '/v1/procedures', {
      code: '1.004579',
      name: 'Cấp chứng chỉ hành nghề dược',
      fieldCode: 'DUOC_PHAM',
      decidingAgencyCode: '000.00.17.H55',
      receivingAgencyCode: '000.20.17.H55',
      authorityLevel: 'province',
      steps: ['Nộp hồ sơ', 'Thẩm định', 'Trả kết quả'],
      methods: [
        {
          channel: 'online',
          processingTime: { value: 10, unit: 'working_days' },
          fees: [{ name: 'Phí thẩm định', amount: 500000 }],
          note: null,
        },
        {
          channel: 'direct',
          processingTime: { value: 10, unit: 'working_days' },
          fees: [{ name: 'Phí thẩm định', amount: 500000 }],
          note: null,
        },
      ],
      components: [{ case: null, name: 'Đơn đề nghị', originals: 1, copies: 0, formTemplate: null }],
      conditions: [],
      result: { name: 'Chứng chỉ hành nghề dược', isPaperDocument: true },
      applicantTypes: ['person'],
      legalBasis: [
        { number: '105/2016/QH13', title: 'Luật Dược', issuedOn: '2016-04-06', effectiveFrom: '2017-01-01' },
      ],
      interAgency: null,
      onlineLevel: 'full',
      legacyLevel: 4,
    });
    await call(
      'POST',
      '/v1/procedures/1.004579/publish',
      { decisionNumber: '184/QĐ-UBND', signedOn: '2026-11-02', effectiveFrom: '2026-11-05' },
      { 'if-match': created.etag },
    );

    // Filed online on Monday 23/11 at 09:00.
    const submitted = await eventually(
      async () => {
        const r = await call('POST', '/v1/dossiers', {
          procedureCode: '1.004579',
          source: 'portal',
          channel: 'online',
          applicant: {
            kind: 'person',
            fullName: 'Phạm Thu Hà',
            phone: '0903123456',
            idNumber: '046190001234',
          },
          components: [{ name: 'Đơn đề nghị', digitized: true }],
        });
        return r.status === 201 ? r.body : undefined;
      },
      { what: 'the intake to know the procedure' },
    );
    expect(submitted).toMatchObject({ status: 'submitted', dueAt: null });
    const code: string = submitted.code;

    // Accepted Tuesday 24/11 10:00: 10 working days → Tuesday 8/12, 17:00.
    now = new Date('2026-11-24T03:00:00Z');
    expect(await act(code, 'accept')).toMatchObject({
      status: 'received',
      dueAt: '2026-12-08T10:00:00.000Z',
    });
    await messaged(code, 'received');
    await act(code, 'assign', { unit: 'Phòng Nghiệp vụ Dược', officer: 'cv.ha' });

    // Supplement asked Wed 25/11, completed Mon 30/11: the clock restarts → 10 working days → Mon 14/12.
    now = new Date('2026-11-25T03:00:00Z');
    expect(
      await act(code, 'request-supplement', { reason: 'Thiếu giấy tờ', items: ['Giấy khám sức khỏe'] }),
    ).toMatchObject({ status: 'awaiting_supplement' });
    await messaged(code, 'supplement_requested');
    now = new Date('2026-11-30T03:00:00Z');
    expect(await act(code, 'complete-supplement')).toMatchObject({
      status: 'processing',
      dueAt: '2026-12-14T10:00:00.000Z',
    });

    // Resolved Thu 10/12, before the due date: early. Returned by post on Fri 11/12.
    now = new Date('2026-12-10T04:00:00Z');
    expect(
      await act(code, 'resolve', { resultNumber: '77/CCHND-SYT', eResult: true, resultDigitized: true }),
    ).toMatchObject({
      status: 'resolved',
      timeliness: 'early',
    });
    now = new Date('2026-12-11T02:00:00Z');
    expect(await act(code, 'return', { method: 'post', trackingNumber: 'EV998877665VN' })).toMatchObject({
      status: 'returned',
      statusCode: 10,
    });

    const history = (await call('GET', `/v1/dossiers/${code}/history`)).body.items;
    expect(history.map((h: { action: string; toStatus: string }) => `${h.action}:${h.toStatus}`)).toEqual([
      'submit:submitted',
      'accept:received',
      'assign:processing',
      'request_supplement:awaiting_supplement',
      'complete_supplement:processing',
      'resolve:resolved',
      'return:returned',
    ]);

    const tracked = await call('GET', `/v1/tracking/${code}`, undefined, { 'x-verification': '0903123456' });
    expect(tracked.body).toMatchObject({ status: 'returned', dueAt: '2026-12-14T10:00:00.000Z' });
    expect(JSON.stringify(tracked.body)).not.toContain('Phạm Thu Hà');

    // The citizen was told at each step that matters; the delivery state shows through the gateway.
    const messages = await eventually(
      async () => {
        const r = await call('GET', `/v1/dossiers/${code}/notifications`);
        const items = (r.body.items ?? []) as {
          event: string;
          channel: string;
          status: string;
          destination: string;
        }[];
        const sms = items.filter((m) => m.channel === 'sms' && m.status === 'sent');
        return sms.length >= 4 ? items : undefined;
      },
      { what: 'the citizen messages to be sent', timeoutMs: 20_000 },
    );
    const smsEvents = messages.filter((m) => m.channel === 'sms').map((m) => m.event);
    expect(smsEvents).toEqual(
      expect.arrayContaining(['received', 'supplement_requested', 'result_ready', 'returned_by_post']),
    );
    expect(JSON.stringify(messages)).not.toContain('0903123456');

    // Every event of the dossier reached kpi, each exactly once.
    const kpi = suite.resources.dbFor<any>('kpi');
    const intake = suite.resources.dbFor<any>('intake');
    const sent = await intake
      .selectFrom('outbox')
      .select(['id', 'type'])
      .where('entity_id', '=', submitted.id)
      .execute();
    expect(sent.map((e: { type: string }) => e.type).sort()).toEqual(
      [
        'dossier.status_changed', // submit
        'dossier.received',
        'dossier.status_changed', // accept
        'dossier.status_changed', // assign
        'dossier.supplement_requested',
        'dossier.status_changed',
        'dossier.supplement_completed',
        'dossier.status_changed',
        'dossier.resolved',
        'dossier.status_changed',
        'dossier.returned',
        'dossier.status_changed',
      ].sort(),
    );
    const facts = await eventually(
      async () => {
        const rows = await kpi
          .selectFrom('dossier_events')
          .select(['event_id', 'dossier_version'])
          .where('dossier_id', '=', submitted.id)
          .execute();
        return rows.length === sent.length ? rows : undefined;
      },
      { what: 'kpi to record every event' },
    );
    expect(facts.map((f: { event_id: string }) => f.event_id).sort()).toEqual(
      sent.map((e: { id: string }) => e.id).sort(),
    );
    // The event log is kpi's inbox for dossier events (its key is the event id): the facts it
    // folded carry the dossier's last version.
    const fact = await kpi
      .selectFrom('dossiers')
      .select(['last_version', 'returned_at'])
      .where('dossier_id', '=', submitted.id)
      .executeTakeFirstOrThrow();
    expect(fact.returned_at).not.toBeNull();
    expect(fact.last_version).toBe(
      Math.max(...facts.map((f: { dossier_version: number }) => f.dossier_version)),
    );
  });
});
