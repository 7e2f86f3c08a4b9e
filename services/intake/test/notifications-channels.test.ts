import { verifySignature, SIGNATURE_HEADER } from '../src/notifications';
import { ProviderRateLimiter } from '../src/notifications/providers/provider-registry';
import { desk } from './harness';
import {
  startEndpoint,
  startNotifications,
  startSmtpSink,
  WEBHOOK_SECRET,
  type FakeEndpoint,
  type NotificationHarness,
} from './notifications.fixtures';

const FAILOVER_MS = 2_000;
let n: NotificationHarness;
let primary: FakeEndpoint;
let backup: FakeEndpoint;
let webhook: FakeEndpoint;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;

beforeAll(async () => {
  [primary, backup, webhook, smtp] = await Promise.all([
    startEndpoint(),
    startEndpoint(),
    startEndpoint(),
    startSmtpSink(),
  ]);
  n = await startNotifications({
    NOTIFY_SMS_PROVIDERS: 'sms_gateway,sms_backup',
    NOTIFY_SMS_GATEWAY_URL: primary.url,
    NOTIFY_SMS_GATEWAY_TIMEOUT_MS: '500',
    NOTIFY_UNANSWERED_FAILOVER_MS: String(FAILOVER_MS),
    NOTIFY_SMS_BACKUP_URL: backup.url,
    NOTIFY_SMS_BACKUP_AUTH: 'bearer',
    NOTIFY_SMS_BACKUP_TOKEN: 'backup-token',
    NOTIFY_SMS_BACKUP_PHONE_FORMAT: 'local',
    NOTIFY_SMS_BACKUP_BODY_TEMPLATE: '{"Phone":"{{phone}}","Content":"{{text}}","RequestId":"{{messageId}}"}',
    NOTIFY_SMS_BACKUP_SUCCESS_FIELD: 'CodeResult',
    NOTIFY_SMS_BACKUP_SUCCESS_VALUES: '100',
    NOTIFY_SMS_BACKUP_ID_FIELD: 'SMSID',
    NOTIFY_EMAIL_PROVIDERS: 'smtp',
    NOTIFY_SMTP_HOST: '127.0.0.1',
    NOTIFY_SMTP_PORT: String(smtp.port),
    NOTIFY_SMTP_FROM: 'Sở Y tế Quảng Nam <thongbao@syt.example.vn>',
    NOTIFY_WEBHOOK_PROVIDERS: 'webhook',
    NOTIFY_WEBHOOK_URL: webhook.url,
    NOTIFY_WEBHOOK_SECRET: WEBHOOK_SECRET,
  });
  backup.respond = (i) => ({ status: 200, body: { CodeResult: '100', SMSID: `esms-${i}` } });
});
afterAll(async () => {
  await n.close();
  await Promise.all([primary.close(), backup.close(), webhook.close(), smtp.close()]);
});

const withEmail = (email: string) =>
  desk({ applicant: { kind: 'person', fullName: 'Phạm Minh Đức', email, phone: '0905111222' } });

async function file(body: unknown): Promise<string> {
  const res = await n.h.call('POST', '/v1/dossiers', body);
  expect(res.statusCode).toBe(201);
  await n.pump();
  return res.json().code as string;
}

describe('e-mail over SMTP', () => {
  it('mails the applicant the receipt in Vietnamese through a real SMTP server', async () => {
    const code = await file(withEmail('duc.pham@example.vn'));
    const rows = await n.settled(code, (m) => m.status === 'sent', 2);
    const mail = smtp.mails.find((m) => m.to.includes('duc.pham@example.vn'));
    expect(mail?.subject).toBe(`Hồ sơ ${code} đã được tiếp nhận`);
    expect(mail?.text).toContain(
      `Hồ sơ ${code} (Cấp chứng chỉ hành nghề dược) đã được tiếp nhận ngày 23/11/2026.\nNgày hẹn trả kết quả: 14/12/2026.`,
    );
    expect(mail?.text).toContain('Trân trọng,\nSở Y tế');
    const email = rows.find((m) => m.channel === 'email');
    expect(email).toMatchObject({ provider: 'smtp', attempts: 1 });
    const listed = (await n.h.call('GET', `/v1/dossiers/${code}/notifications`)).json().items;
    expect(listed.find((m: { channel: string }) => m.channel === 'email').destination).toBe(
      'd***@example.vn',
    );
  });

  it('fails at once, without retries, when the server refuses the mailbox for good', async () => {
    smtp.reject.add('no.such.person@example.vn');
    const code = await file(withEmail('no.such.person@example.vn'));
    const rows = await n.settled(code, (m) => m.status !== 'queued' && m.status !== 'failed', 2);
    const email = rows.find((m) => m.channel === 'email');
    expect(email).toMatchObject({ status: 'permanently_failed', attempts: 1 });
    expect(email!.last_error).toBe('smtp: smtp RCPT TO failed: 550');
    expect(email!.last_error).not.toContain('no.such.person');
  });
});

describe('SMS failover', () => {
  it('sends through the backup gateway, in its own format, when the primary fails', async () => {
    primary.respond = () => ({ status: 503 });
    const before = backup.requests.length;
    const code = await file(desk());
    const [m] = await n.settled(code);
    expect(m).toMatchObject({
      provider: 'sms_backup',
      provider_message_id: `esms-${before + 1}`,
      attempts: 1,
    });
    const req = backup.requests[before]!;
    expect(req.headers.authorization).toBe('Bearer backup-token');
    expect(req.body).toEqual({
      Phone: '0912345678',
      Content: expect.stringContaining(`Tra cứu: https://dichvucong.quangnam.gov.vn/tra-cuu/${code}`),
      RequestId: m!.id,
    });
    const trail = (await n.h.call('GET', `/v1/notifications/messages/${m!.id}`)).json().trail;
    expect(trail.map((t: { provider: string; outcome: string }) => `${t.provider}:${t.outcome}`)).toEqual([
      'sms_gateway:failed',
      'sms_backup:sent',
    ]);
  });

  it('waits the failover delay when the primary takes a message without answering, and sends the same reference to both', async () => {
    primary.respond = () => ({ status: 200, body: { id: 'late' }, delayMs: 1_500 });
    const [p0, b0] = [primary.requests.length, backup.requests.length];
    try {
      const code = await file(desk());
      const [m] = await n.settled(code, (x) => x.status === 'sent');
      expect(m).toMatchObject({ provider: 'sms_backup', attempts: 1 });
      // One try at the primary, which timed out; the backup only after the documented delay.
      expect(primary.requests.length - p0).toBe(1);
      expect(backup.requests.length - b0).toBe(1);
      const [first, second] = [primary.requests[p0]!, backup.requests[b0]!];
      expect(second.at - first.at).toBeGreaterThanOrEqual(FAILOVER_MS);
      expect(first.headers['idempotency-key']).toBe(m!.id);
      expect(second.headers['idempotency-key']).toBe(m!.id);
      const trail = (await n.h.call('GET', `/v1/notifications/messages/${m!.id}`)).json().trail;
      expect(trail.map((t: { provider: string; outcome: string }) => `${t.provider}:${t.outcome}`)).toEqual([
        'sms_gateway:unanswered',
        'sms_backup:deferred',
        'sms_backup:sent',
      ]);
    } finally {
      primary.respond = () => ({ status: 503 });
    }
  });

  it('treats an answer without the success code as a failure', async () => {
    primary.respond = () => ({ status: 503 });
    backup.respond = () => ({
      status: 200,
      body: { CodeResult: '99', ErrorMessage: 'Số điện thoại 0912345678 không hợp lệ' },
    });
    try {
      const code = await file(desk());
      const [m] = await n.settled(code, (x) => x.status === 'permanently_failed');
      expect(m!.attempts).toBe(3);
      expect(m!.last_error).toContain('CodeResult="99" is not a success value');
    } finally {
      backup.respond = (i) => ({ status: 200, body: { CodeResult: '100', SMSID: `esms-${i}` } });
    }
  });
});

describe('signed webhook', () => {
  it('signs each body with HMAC-SHA256 so the receiver can verify it, and a changed body fails', async () => {
    await n.h.call('PUT', '/v1/notifications/agencies/default/settings', {
      switches: [{ event: 'received', channel: 'webhook', enabled: true }],
    });
    const before = webhook.requests.length;
    const code = await file(desk());
    const rows = await n.settled(code, (m) => m.status === 'sent', 2);
    const hook = rows.find((m) => m.channel === 'webhook')!;
    const req = webhook.requests[before]!;
    expect(req.body).toMatchObject({
      id: hook.id,
      audience: 'citizen',
      event: 'received',
      dossierCode: code,
      to: '0912345678',
      text: expect.stringContaining(`Hồ sơ ${code}`),
    });
    const signature = req.headers[SIGNATURE_HEADER] as string;
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature(WEBHOOK_SECRET, req.raw, signature)).toBe(true);
    expect(verifySignature(WEBHOOK_SECRET, req.raw.replace(code, 'H55-000000-9999'), signature)).toBe(false);
    expect(verifySignature('another-secret-of-the-same-size-0123456789', req.raw, signature)).toBe(false);
  });
});

describe('rate limit per provider', () => {
  it('grants a provider its sends per second across workers, then says how long to wait', async () => {
    // Two workers' limiters at the same instant, 250 ms into a one-second window.
    const instant = () => 1_800_000_000_250;
    const a = new ProviderRateLimiter(n.h.t.redis, n.h.t.bus.prefix, instant);
    const b = new ProviderRateLimiter(n.h.t.redis, n.h.t.bus.prefix, instant);
    const waits = await Promise.all([
      a.take('sms_gateway', 3),
      b.take('sms_gateway', 3),
      a.take('sms_gateway', 3),
      b.take('sms_gateway', 3),
      a.take('smtp', 3),
    ]);
    expect(waits.filter((w) => w === 0)).toHaveLength(4);
    expect(waits[3]).toBe(750);
    expect(await a.take('log', null)).toBe(0);
  });
});
