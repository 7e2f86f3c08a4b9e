import { readFileSync } from 'node:fs';
import { eventually } from '@tthc/testkit';
import { sql } from 'kysely';
import { desk } from './harness';
import { startNotifications, type NotificationHarness } from './notifications.fixtures';

let n: NotificationHarness;
beforeAll(async () => {
  // Every channel on the development `log` provider, which writes JSON lines to a file.
  n = await startNotifications({});
});
afterAll(() => n.close());

const call = (method: 'GET' | 'PUT' | 'POST', url: string, body?: unknown) => n.h.call(method, url, body);

describe('templates', () => {
  it('lists the templates in force with the placeholders each message kind fills', async () => {
    const items = (await call('GET', '/v1/notifications/templates')).json().items;
    // 9 citizen kinds on three channels; 7 officer kinds (reminders, digest, report ready or failed) on two.
    expect(items).toHaveLength(9 * 3 + 7 * 2);
    expect(
      items.find(
        (t: { event: string; channel: string }) => t.event === 'report_ready' && t.channel === 'email',
      ),
    ).toMatchObject({
      audience: 'officer',
      subject: '[Báo cáo] {{reportTitle}} kỳ {{period}} đã sẵn sàng',
      placeholders: ['reportTitle', 'period', 'agency', 'version', 'formats', 'link'],
    });
    expect(
      items.find((t: { event: string; channel: string }) => t.event === 'received' && t.channel === 'sms'),
    ).toMatchObject({
      version: 2, // the short default replaced the first
      audience: 'citizen',
      subject: null,
      body: expect.stringContaining('{{dueDate}}'),
      placeholders: ['dossierCode', 'procedureName', 'trackingLink', 'receivedDate', 'dueDate'],
      createdBy: 'seed',
    });
  });

  it('previews the Vietnamese SMS on sample data with its length in UCS-2 segments and the unaccented alternative', async () => {
    const res = await call('POST', '/v1/notifications/templates/received/sms/preview', {});
    expect(res.statusCode).toBe(200);
    const p = res.json();
    expect(p.text).toBe(
      'Hồ sơ tiếp nhận 23/11/2026, hẹn trả 14/12/2026. Tra cứu: https://dichvucong.quangnam.gov.vn/tra-cuu/000.20.17.H55-261123-0001',
    );
    expect(p.sms).toMatchObject({
      encoding: 'UCS-2',
      characters: p.text.length,
      segments: Math.ceil(p.text.length / 67),
      perSegment: 67,
    });
    expect(p.unaccented.text).toMatch(
      /^Ho so tiep nhan 23\/11\/2026, hen tra 14\/12\/2026\. Tra cuu: https:/,
    );
    expect(p.unaccented.sms).toMatchObject({ encoding: 'GSM-7', segments: 1, perSegment: 160 });
    expect(p.warnings[0]).toContain('UCS-2');
    expect(p.warnings[1]).toContain(`${p.sms.segments} tin ghép`);
  });

  it('previews with the caller’s data, an unsaved text, and as an agency that sends without diacritics', async () => {
    const own = await call('POST', '/v1/notifications/templates/returned_by_post/sms/preview', {
      data: { dossierCode: 'X-1', trackingNumber: 'RR1VN' },
      unaccented: true,
    });
    expect(own.json()).toMatchObject({
      text: 'Ket qua ho so X-1 da gui buu chinh, ma buu gui RR1VN.',
      sms: { encoding: 'GSM-7', segments: 1 },
      warnings: [],
    });
    const draft = await call('POST', '/v1/notifications/templates/refused/email/preview', {
      subject: 'Hồ sơ {{dossierCode}}',
      body: 'Lý do: {{reason}}',
    });
    expect(draft.json()).toMatchObject({
      version: null,
      subject: 'Hồ sơ 000.20.17.H55-261123-0001',
      text: 'Lý do: Cần lấy ý kiến của Bộ Y tế',
      sms: null,
    });
  });

  it('saves each edit as a new version, keeps the old ones, and messages record the version they used', async () => {
    const text =
      'Ho so {{dossierCode}} da duoc tiep nhan, hen tra ket qua ngay {{dueDate}}. Tra cuu tren Cong Dich vu cong.';
    const saved = await call('PUT', '/v1/notifications/templates/received/sms', {
      body: text,
      note: 'Bản không dấu, 1 tin',
    });
    expect(saved.statusCode).toBe(201);
    expect(saved.json().template).toMatchObject({
      event: 'received',
      channel: 'sms',
      version: 3,
      body: text,
      note: 'Bản không dấu, 1 tin',
      createdBy: 'officer-1',
    });
    expect(saved.json().preview.sms).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(saved.json().preview.warnings).toEqual([]);

    const history = (await call('GET', '/v1/notifications/templates/received/sms')).json();
    expect(history.current.version).toBe(3);
    expect(history.versions.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    const v1 = await call('POST', '/v1/notifications/templates/received/sms/preview', { version: 1 });
    expect(v1.json()).toMatchObject({ version: 1, sms: { encoding: 'UCS-2' } });

    const res = await call('POST', '/v1/dossiers', desk());
    const code = res.json().code as string;
    await n.pump();
    const [m] = await n.settled(code);
    expect(m).toMatchObject({
      template_version: 3,
      provider: 'log',
      body: `Ho so ${code} da duoc tiep nhan, hen tra ket qua ngay 14/12/2026. Tra cuu tren Cong Dich vu cong.`,
    });
    const line = await eventually(async () =>
      readFileSync(n.deps.config.NOTIFY_LOG_FILE, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { id: string; to: string; text: string })
        .find((l) => l.id === m!.id),
    );
    expect(line).toMatchObject({ channel: 'sms', to: '09******78', text: m!.body });
    expect((await call('GET', `/v1/dossiers/${code}/notifications`)).json().items[0].templateVersion).toBe(3);
  });

  it('refuses a placeholder the message kind does not fill, a subject on an SMS, and a channel the kind is not sent on', async () => {
    const typo = await call('PUT', '/v1/notifications/templates/received/email', {
      subject: 'Hồ sơ {{dossierCode}}',
      body: 'Hẹn trả ngày {{dueDat}}, lý do {{reason}}',
    });
    expect(typo.statusCode).toBe(422);
    expect(typo.json()).toMatchObject({
      code: 'unknown_placeholder',
      errors: [
        { in: 'body', pointer: '/body' },
        { in: 'body', pointer: '/body' },
      ],
    });
    expect(typo.json().detail).toContain('{{dueDat}}');
    const subject = await call('PUT', '/v1/notifications/templates/received/sms', {
      subject: 'x',
      body: 'y',
    });
    expect(subject.json()).toMatchObject({ code: 'subject_not_allowed' });
    expect((await call('GET', '/v1/notifications/templates/digest/sms')).statusCode).toBe(404);
    expect((await call('GET', '/v1/notifications/templates/nope/sms')).statusCode).toBe(400);
  });

  it('keeps template versions append-only in the database', async () => {
    await expect(
      sql`update notification_templates set body = 'x' where event = 'received'`.execute(n.h.t.db),
    ).rejects.toThrow(/append-only/);
  });
});

describe('OpenAPI', () => {
  it('documents every notification route with an operation id, under the notifications tag', async () => {
    const doc = (await n.h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const ops = Object.entries(
      doc.paths as Record<string, Record<string, { operationId?: string; tags?: string[] }>>,
    )
      .filter(([path]) => path.includes('notification'))
      .flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
    expect(ops.length).toBe(21);
    for (const { op } of ops)
      expect(op).toMatchObject({ operationId: expect.any(String), tags: ['notifications'] });
    expect(doc.components.schemas).toHaveProperty('NotificationMessage');
  });
});
