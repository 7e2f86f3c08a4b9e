import { envelopeOf } from '@tthc/bus';
import { queues } from '@tthc/contracts';
import { eventually, identityHeaders } from '@tthc/testkit';
import { Queue } from 'bullmq';
import { act, desk } from './harness';
import {
  CALLBACK_TOKEN,
  startEndpoint,
  startNotifications,
  type FakeEndpoint,
  type NotificationHarness,
} from './notifications.fixtures';

let n: NotificationHarness;
let gateway: FakeEndpoint;

beforeAll(async () => {
  gateway = await startEndpoint();
  n = await startNotifications({
    NOTIFY_SMS_PROVIDERS: 'sms_gateway',
    NOTIFY_SMS_GATEWAY_URL: gateway.url,
    NOTIFY_SMS_GATEWAY_AUTH: 'basic',
    NOTIFY_SMS_GATEWAY_USERNAME: 'syt-quangnam',
    NOTIFY_SMS_GATEWAY_PASSWORD: 'gateway-password',
    NOTIFY_SMS_GATEWAY_BRANDNAME: 'SOYTE',
  });
});
afterAll(async () => {
  await n.close();
  await gateway.close();
});
beforeEach(() => {
  gateway.respond = (i) => ({ status: 200, body: { id: `gw-${i}` } });
});

const AGENCY = '000.00.17.H55';
const LINK = 'https://dichvucong.quangnam.gov.vn/tra-cuu/';

async function file(extra: Record<string, unknown> = {}): Promise<string> {
  const res = await n.h.call('POST', '/v1/dossiers', desk(extra));
  expect(res.statusCode).toBe(201);
  await n.pump();
  return res.json().code as string;
}
const smsTo = (messageId: string) => gateway.requests.filter((r) => r.body.reference === messageId);

describe('citizen SMS through the outbox, the consumer and the gateway', () => {
  it('sends exactly one SMS with the receipt, the due date and the tracking link when a dossier is received', async () => {
    const before = gateway.requests.length;
    const code = await file();
    const [m] = await n.settled(code);
    await n.consumed(code);
    expect(gateway.requests.length - before).toBe(1);
    const req = gateway.requests[before]!;
    expect(req.body).toEqual({
      to: '84912345678',
      text: `Hồ sơ tiếp nhận 23/11/2026, hẹn trả 14/12/2026. Tra cứu: ${LINK}${code}`,
      brandname: 'SOYTE',
      reference: m!.id,
    });
    expect(req.headers.authorization).toBe(
      `Basic ${Buffer.from('syt-quangnam:gateway-password').toString('base64')}`,
    );

    const listed = (await n.h.call('GET', `/v1/dossiers/${code}/notifications`)).json().items;
    expect(listed).toEqual([
      expect.objectContaining({
        event: 'received',
        channel: 'sms',
        status: 'sent',
        destination: '09******78',
        templateVersion: 2,
        attempts: 1,
        provider: 'sms_gateway',
      }),
    ]);
    expect(JSON.stringify(listed)).not.toContain('0912345678');
  });

  it('retries a gateway that fails twice, then delivers once', async () => {
    let failures = 0;
    gateway.respond = (i) =>
      failures++ < 2
        ? { status: 502, body: { message: 'upstream busy' } }
        : { status: 200, body: { id: `gw-${i}` } };
    const code = await file();
    const [m] = await n.settled(code);
    expect(smsTo(m!.id).length).toBe(3);
    expect(m).toMatchObject({ status: 'sent', attempts: 3, provider: 'sms_gateway', last_error: null });
    const trail = (await n.h.call('GET', `/v1/notifications/messages/${m!.id}`)).json().trail;
    expect(trail.map((t: { outcome: string }) => t.outcome)).toEqual(['failed', 'failed', 'sent']);
    expect(trail[0].detail).toContain('HTTP 502');
  });

  it('ends permanently failed when the gateway keeps answering with an error, lists the alert and counts it', async () => {
    gateway.respond = () => ({ status: 200, body: { error: 'Brandname chưa đăng ký' } });
    const code = await file();
    const [m] = await n.settled(code, (x) => x.status === 'permanently_failed');
    expect(smsTo(m!.id).length).toBe(3);
    expect(m).toMatchObject({ attempts: 3 });
    expect(m!.last_error).toContain('gateway error error="Brandname chưa đăng ký"');

    const alerts = (await n.h.call('GET', '/v1/notifications/alerts')).json();
    expect(alerts.items.map((a: { id: string }) => a.id)).toContain(m!.id);
    const metrics = (await n.h.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(
      /notifications_permanently_failed_total\{[^}]*channel="sms"[^}]*audience="citizen"[^}]*\} 1/,
    );

    // The gateway is fixed: sent again by hand, delivered, and the alert is gone.
    gateway.respond = (i) => ({ status: 200, body: { id: `gw-${i}` } });
    expect((await n.h.call('POST', `/v1/notifications/messages/${m!.id}/retry`)).statusCode).toBe(202);
    await n.settled(code);
    const after = (await n.h.call('GET', '/v1/notifications/alerts')).json();
    expect(after.items.map((a: { id: string }) => a.id)).not.toContain(m!.id);
  });

  it('sends nothing twice when the same event arrives again', async () => {
    const code = await file();
    const [m] = await n.settled(code);
    await n.consumed(code);
    const row = await n.h.t.db
      .selectFrom('outbox')
      .selectAll()
      .where('type', '=', 'dossier.received')
      .where('payload', '@>', JSON.stringify({ code }) as never)
      .executeTakeFirstOrThrow();
    const envelope = envelopeOf(row);
    const q = new Queue(queues.intakeNotifications, { connection: n.h.t.redis, prefix: n.h.t.bus.prefix });
    try {
      // A redelivery under another job id (a relay that re-sent after losing its commit, a replayed queue).
      const job = await q.add(row.type, envelope, { jobId: `replay-${row.id}` });
      const state = await eventually(async () => {
        const s = await q.getJob(job.id!);
        return s && (await s.getState()) === 'completed' ? s.returnvalue : undefined;
      });
      expect(state).toEqual({ applied: 0, duplicates: 1, skipped: 0, parked: 0 });
    } finally {
      await q.close();
    }
    await n.workers.dispatchNow();
    expect(await n.messages(code)).toHaveLength(1);
    expect(smsTo(m!.id)).toHaveLength(1);
  });
});

describe('messages never silently stop', () => {
  it('sends again, in a new round, a message whose send job was lost', async () => {
    const code = await file();
    const [m] = await n.settled(code);
    // As if the last attempt crashed on a database outage: the row says failed, the job is gone.
    await n.h.t.db
      .updateTable('notification_messages' as never)
      .set({ status: 'failed', enqueued_at: new Date('2026-11-22T02:00:00Z') } as never)
      .where('id' as never, '=', m!.id as never)
      .execute();
    await n.workers.dispatchNow();
    const [again] = await n.settled(code);
    expect(again).toMatchObject({ status: 'sent', send_round: 1 });
    expect(smsTo(m!.id)).toHaveLength(2);
  });

  it('leaves alone a message whose job is still waiting its turn', async () => {
    const code = await file();
    const [m] = await n.settled(code);
    await n.workers.dispatchNow();
    expect((await n.messages(code))[0]).toMatchObject({ id: m!.id, send_round: 0 });
  });
});

describe('delivery reports', () => {
  const callback = (body: object, token = CALLBACK_TOKEN) =>
    n.h.call('POST', '/v1/notifications/callbacks/sms_gateway', body, { 'x-callback-token': token });

  it('never moves a delivered message back to sent, whatever order the reports come in', async () => {
    const code = await file();
    const [m] = await n.settled(code);
    const gwId = m!.provider_message_id!;
    expect(
      (await callback({ messageId: gwId, status: 'delivered', at: '2026-11-23T02:00:09Z' })).json(),
    ).toEqual({ messageId: m!.id, status: 'delivered', applied: true });
    expect((await callback({ messageId: gwId, status: 'sent' })).json()).toEqual({
      messageId: m!.id,
      status: 'delivered',
      applied: false,
    });
    expect(
      (await callback({ messageId: m!.id, status: 'failed', detail: 'handset 0912345678 off' })).json(),
    ).toMatchObject({ status: 'delivered', applied: false });
    const detail = (await n.h.call('GET', `/v1/notifications/messages/${m!.id}`)).json();
    expect(detail).toMatchObject({ status: 'delivered', deliveredAt: '2026-11-23T02:00:09.000Z' });
    expect(
      detail.trail
        .filter((t: { kind: string }) => t.kind === 'callback')
        .map((t: { outcome: string }) => t.outcome),
    ).toEqual(['delivered', 'sent (ignored)', 'failed (ignored)']);
    expect(JSON.stringify(detail)).not.toContain('0912345678');
  });

  it('takes a delivery report that overtakes the gateway answer, and refuses a wrong token', async () => {
    const code = await file();
    const [m] = await n.settled(code);
    await n.h.t.db
      .updateTable('notification_messages' as never)
      .set({ status: 'queued' } as never)
      .where('id' as never, '=', m!.id as never)
      .execute();
    expect((await callback({ messageId: m!.id, status: 'delivered' })).json()).toMatchObject({
      status: 'delivered',
      applied: true,
    });
    expect((await callback({ messageId: m!.id, status: 'delivered' }, 'x'.repeat(40))).statusCode).toBe(401);
    expect((await callback({ messageId: 'gw-unknown', status: 'delivered' })).statusCode).toBe(404);
  });
});

describe('what the applicant hears, and how', () => {
  it('tells each step of the lifecycle in its own words', async () => {
    const code = await file({ applicant: { kind: 'person', fullName: 'Lê Thị Cúc', phone: '0987 654 321' } });
    await n.settled(code);
    await act(n.h, code, 'assign', { unit: 'Phòng Nghiệp vụ Dược' });
    await act(n.h, code, 'request-supplement', {
      reason: 'Hồ sơ chưa đầy đủ',
      items: ['Bản sao văn bằng có chứng thực', 'Giấy khám sức khỏe'],
    });
    await act(n.h, code, 'complete-supplement');
    await act(n.h, code, 'request-payment', { amount: 1500000, reason: 'Phí thẩm định' });
    await act(n.h, code, 'payments', { amount: 1500000, method: 'cash', online: false });
    await act(n.h, code, 'reschedule', {
      reason: 'Cần lấy ý kiến Bộ Y tế',
      newDueAt: '2026-12-30T10:00:00Z',
    });
    await act(n.h, code, 'resolve', { resultNumber: '12/GP-SYT', eResult: true });
    await act(n.h, code, 'return', { method: 'post', trackingNumber: 'EV123456789VN' });
    await n.pump();
    await n.consumed(code);
    const rows = await n.settled(code, (m) => m.status === 'sent', 6);
    // The consumer applies events concurrently: compare in lifecycle order.
    const order = [
      'received',
      'supplement_requested',
      'payment_requested',
      'rescheduled',
      'result_ready',
      'returned_by_post',
    ];
    rows.sort((a, b) => order.indexOf(a.event) - order.indexOf(b.event));
    expect(rows.map((m) => [m.event, m.body])).toEqual([
      ['received', expect.stringContaining('Hồ sơ tiếp nhận')],
      ['supplement_requested', `Hồ sơ cần bổ sung giấy tờ, xem chi tiết: ${LINK}${code}`],
      ['payment_requested', `Hồ sơ cần nộp 1.500.000 đồng để tiếp tục giải quyết: ${LINK}${code}`],
      [
        'rescheduled',
        `Xin lỗi ông/bà: hồ sơ ${code} hẹn trả lại ngày 30/12/2026. Lý do: Cần lấy ý kiến Bộ Y tế`,
      ],
      [
        'result_ready',
        expect.stringContaining(
          'nhận tại Cổng Dịch vụ công (kết quả điện tử) hoặc Bộ phận Tiếp nhận và Trả kết quả',
        ),
      ],
      ['returned_by_post', `Kết quả hồ sơ ${code} đã gửi bưu chính, mã bưu gửi EV123456789VN.`],
    ]);
    expect(new Set(rows.map((m) => m.destination))).toEqual(new Set(['0987654321']));
  });

  it('tells a refused applicant the reason', async () => {
    const res = await n.h.call('POST', '/v1/dossiers', desk({ source: 'portal', channel: 'online' }));
    const code = res.json().code as string;
    await act(n.h, code, 'refuse', { reason: 'Hồ sơ không thuộc thẩm quyền giải quyết của Sở Y tế' });
    await n.pump();
    const [m] = await n.settled(code);
    expect(m!.body).toBe(
      `Hồ sơ ${code} không được tiếp nhận. Lý do: Hồ sơ không thuộc thẩm quyền giải quyết của Sở Y tế`,
    );
  });

  it("respects the applicant's channel choice and the agency's switches", async () => {
    const quiet = (
      await n.h.call('POST', '/v1/dossiers', desk({ source: 'portal', channel: 'online' }))
    ).json().code as string;
    const prefs = await n.h.call('PUT', `/v1/dossiers/${quiet}/notification-preferences`, {
      channels: ['email'],
    });
    expect(prefs.json()).toEqual({
      channels: ['email'],
      chosen: true,
      available: { sms: true, email: false },
    });
    await act(n.h, quiet, 'accept');
    await n.pump();
    await n.consumed(quiet);

    const off = await n.h.call('PUT', `/v1/notifications/agencies/${AGENCY}/settings`, {
      switches: [{ event: 'received', channel: 'sms', enabled: false }],
    });
    expect(off.json().switches).toContainEqual({
      event: 'received',
      channel: 'sms',
      enabled: false,
      source: 'agency',
    });
    const switched = await file();
    await n.consumed(switched);
    await n.h.call('PUT', `/v1/notifications/agencies/${AGENCY}/settings`, {
      switches: [{ event: 'received', channel: 'sms', enabled: true }],
    });

    await n.workers.dispatchNow();
    expect(await n.messages(quiet)).toEqual([]);
    expect(await n.messages(switched)).toEqual([]);
  });

  it('sends SMS without diacritics for an agency that chooses it', async () => {
    await n.h.call('PUT', `/v1/notifications/agencies/${AGENCY}/settings`, { smsUnaccented: true });
    try {
      const code = await file();
      const [m] = await n.settled(code);
      expect(smsTo(m!.id)[0]!.body.text).toBe(
        `Ho so tiep nhan 23/11/2026, hen tra 14/12/2026. Tra cuu: ${LINK}${code}`,
      );
    } finally {
      await n.h.call('PUT', `/v1/notifications/agencies/${AGENCY}/settings`, { smsUnaccented: false });
    }
  });
});

describe('agency scope', () => {
  it("keeps an officer of another agency out of a dossier's messages and the department-wide settings", async () => {
    gateway.respond = () => ({ status: 500 });
    const code = await file();
    const [m] = await n.settled(code, (x) => x.status === 'permanently_failed');
    expect(
      (await n.h.call('GET', '/v1/notifications/alerts')).json().items.map((a: { id: string }) => a.id),
    ).toContain(m!.id);
    const other = await identityHeaders({
      sub: 'cv.khac',
      kind: 'officer',
      roles: ['processing_officer'],
      agencyCode: '000.00.99.H55',
      agencyScope: ['000.00.99.H55'],
    });
    const as = (method: 'GET' | 'PUT', url: string, payload?: object) =>
      n.h.app.inject({ method, url, headers: other, ...(payload ? { payload } : {}) });
    expect((await as('GET', `/v1/dossiers/${code}/notifications`)).statusCode).toBe(403);
    expect((await as('PUT', '/v1/notifications/templates/received/sms', { body: 'x' })).statusCode).toBe(403);
    expect(
      (await as('PUT', `/v1/notifications/agencies/${AGENCY}/settings`, { smsUnaccented: true })).statusCode,
    ).toBe(403);
    // The alerts are for administrators (the route's x-access): refused by the service too.
    expect((await as('GET', '/v1/notifications/alerts')).statusCode).toBe(403);
  });
});
