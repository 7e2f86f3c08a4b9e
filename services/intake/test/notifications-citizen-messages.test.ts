import { randomUUID } from 'node:crypto';
import { withTransaction, type Tx } from '@tthc/db';
import { sql } from 'kysely';
import pg from 'pg';
import { NotificationConfig } from '../src/notifications';
import {
  createCitizenMessages,
  createCitizenMessagesOf,
  type EventSource,
} from '../src/notifications/commands/citizen-messages.command';
import { citizenMessageSources } from '../src/notifications/db/dossier-lookup.repository';
import { withNotifications, type Channel } from '../src/notifications/db/notification.schema';
import {
  agencySettings,
  preferencesOf,
  switchesFor,
  upsertAgencySettings,
  upsertPreferences,
  upsertSwitch,
} from '../src/notifications/db/settings.repository';
import { appendTemplateVersion, currentTemplate } from '../src/notifications/db/template.repository';
import type { CitizenNotice } from '../src/notifications/domain/citizen-notices';
import { CHANNELS } from '../src/notifications/templates/template-catalogue';
import { applicant, desk, startIntake, type Harness } from './harness';
import { ensureNotificationTables } from './notifications.fixtures';

/**
 * The citizen messages of one dossier change, written by the command itself (no workers): what it
 * reads in its one statement, what it writes in its one insert, the dedupe and the "too late" rule.
 */
let h: Harness;
const AGENCY = '000.00.17.H55';
const by = { updated_by: 'officer-1', updated_at: new Date('2026-11-20T00:00:00Z') };
const config = NotificationConfig.parse({ TRACKING_URL_BASE: 'https://dichvucong.quangnam.gov.vn/tra-cuu' });
const db = () => withNotifications(h.t.db);

beforeAll(async () => {
  h = await startIntake();
  await ensureNotificationTables(h.t.db);
  // The department sends without accents and names a place; the agency sends with accents and names none.
  await upsertAgencySettings(db(), {
    agency_code: 'default',
    sms_unaccented: true,
    result_place: 'Phòng 3',
    ...by,
  });
  await upsertAgencySettings(db(), { agency_code: AGENCY, sms_unaccented: false, result_place: null, ...by });
  // The webhook is on department-wide; SMS is off department-wide but on for the agency.
  await upsertSwitch(db(), {
    agency_code: 'default',
    event: 'result_ready',
    channel: 'webhook',
    enabled: true,
    ...by,
  });
  await upsertSwitch(db(), {
    agency_code: 'default',
    event: 'result_ready',
    channel: 'sms',
    enabled: false,
    ...by,
  });
  await upsertSwitch(db(), {
    agency_code: AGENCY,
    event: 'result_ready',
    channel: 'sms',
    enabled: true,
    ...by,
  });
  // Another event's switch changes nothing here.
  await upsertSwitch(db(), {
    agency_code: AGENCY,
    event: 'received',
    channel: 'email',
    enabled: false,
    ...by,
  });
});
afterAll(() => h.close());

async function fileDossier(): Promise<{ id: string; code: string }> {
  const res = await h.call(
    'POST',
    '/v1/dossiers',
    desk({ applicant: { ...applicant, email: 'an@example.vn' } }),
  );
  expect(res.statusCode).toBe(201);
  const code = res.json().code as string;
  const d = await db()
    .selectFrom('dossiers')
    .select(['id', 'code'])
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  return d;
}

/** Runs `write` in a transaction of its own, counting the statements it sends itself (not BEGIN/COMMIT). */
async function counting(
  write: (tx: Tx<any>) => Promise<number>,
): Promise<{ created: number; statements: string[] }> {
  const statements: string[] = [];
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  const created = await withTransaction(db(), async (tx) => {
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const q = args[0];
      statements.push(typeof q === 'string' ? q : ((q as { text?: string }).text ?? '?'));
      return original.apply(this, args);
    } as typeof pg.Client.prototype.query;
    try {
      return await write(tx);
    } finally {
      pg.Client.prototype.query = original as typeof pg.Client.prototype.query;
    }
  });
  return { created, statements };
}

/** The command for one change, counting its statements. */
const create = (
  dossierId: string,
  notice: CitizenNotice,
  source: EventSource = { id: randomUUID(), occurredAt: h.now().toISOString() },
) =>
  counting((tx) =>
    createCitizenMessages(tx, { clock: h.now, config, logger: h.t.logger }, source, dossierId, notice),
  );

const messagesOf = (dossierId: string) =>
  db()
    .selectFrom('notification_messages')
    .selectAll()
    .where('dossier_id', '=', dossierId)
    .orderBy('seq')
    .execute();

const resultReady: CitizenNotice = { event: 'result_ready', data: {} };

describe('citizen messages of one change', () => {
  it('writes every channel from its template in force, the agency settings over the department ones, in one read and one insert', async () => {
    const d = await fileDossier();
    // Two more versions of the e-mail, one of the webhook: each channel takes its own highest.
    await appendTemplateVersion(db(), {
      event: 'result_ready',
      channel: 'email',
      subject: 'Kết quả {{dossierCode}}',
      body: 'Bản cũ {{resultPlace}}',
      note: null,
      created_by: 'officer-1',
    });
    const email = await appendTemplateVersion(db(), {
      event: 'result_ready',
      channel: 'email',
      subject: 'Hồ sơ {{dossierCode}}   có kết quả',
      body: 'Mời nhận tại {{resultPlace}}.',
      note: null,
      created_by: 'officer-1',
    });
    const webhook = await appendTemplateVersion(db(), {
      event: 'result_ready',
      channel: 'webhook',
      subject: null,
      body: 'Webhook: {{dossierCode}} tại {{resultPlace}}',
      note: null,
      created_by: 'officer-1',
    });
    const sms = (await currentTemplate(db(), 'result_ready', 'sms'))!;

    const { created, statements } = await create(d.id, resultReady);
    expect(created).toBe(3);
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/^select/);
    expect(statements[1]).toMatch(/^insert into "notification_messages"/);

    const rows = await messagesOf(d.id);
    expect(rows.map((m) => [m.channel, m.template_version, m.destination, m.subject, m.body])).toEqual([
      ['sms', sms.version, '0912345678', null, `Hồ sơ ${d.code} đã có kết quả, nhận tại Phòng 3.`],
      ['email', email.version, 'an@example.vn', `Hồ sơ ${d.code} có kết quả`, 'Mời nhận tại Phòng 3.'],
      ['webhook', webhook.version, '0912345678', null, `Webhook: ${d.code} tại Phòng 3`],
    ]);
    expect(new Set(rows.map((m) => m.seq)).size).toBe(3);
    expect(
      rows.every((m) => m.status === 'queued' && m.audience === 'citizen' && m.agency_code === AGENCY),
    ).toBe(true);
  });

  it('creates nothing twice for the same change, and only the messages still missing', async () => {
    const d = await fileDossier();
    await upsertPreferences(db(), { dossier_id: d.id, channels: ['sms'], ...by });
    const source = { id: randomUUID(), occurredAt: h.now().toISOString() };
    expect((await create(d.id, resultReady, source)).created).toBe(1);
    expect((await create(d.id, resultReady, source)).created).toBe(0);
    await upsertPreferences(db(), { dossier_id: d.id, channels: ['sms', 'email', 'webhook'], ...by });
    const again = await create(d.id, resultReady, source);
    expect(again.created).toBe(2);
    expect(again.statements).toHaveLength(2);
    const rows = await messagesOf(d.id);
    expect(rows.map((m) => m.channel)).toEqual(['sms', 'email', 'webhook']);
    expect(rows.map((m) => m.dedupe_key)).toEqual(
      CHANNELS.map((c) => `event:${source.id}:result_ready:${c}`),
    );
  });

  it('tells nothing of an old event, of history imported from the previous software, or of an unknown dossier', async () => {
    const d = await fileDossier();
    const old = new Date(h.now().getTime() - (config.NOTIFY_STALE_EVENT_HOURS + 1) * 3_600_000);
    expect(
      (await create(d.id, resultReady, { id: randomUUID(), occurredAt: old.toISOString() })).created,
    ).toBe(0);
    // Imported: the change happened before the dossier was in this system.
    const importedAt = new Date(h.now().getTime() - 3_600_000);
    await sql`update dossiers set source_system = 'legacy', created_at = ${importedAt} where id = ${d.id}`.execute(
      h.t.db,
    );
    const before = new Date(importedAt.getTime() - 60_000).toISOString();
    expect((await create(d.id, resultReady, { id: randomUUID(), occurredAt: before })).created).toBe(0);
    expect(await messagesOf(d.id)).toEqual([]);
    // After the import, the same dossier is told.
    expect((await create(d.id, resultReady)).created).toBeGreaterThan(0);
    expect((await create(randomUUID(), resultReady)).created).toBe(0);
  });

  it('finds the dossier of an event that carries its id in upper case', async () => {
    const d = await fileDossier();
    await upsertPreferences(db(), { dossier_id: d.id, channels: ['sms'], ...by });
    expect((await create(d.id.toUpperCase(), resultReady)).created).toBe(1);
  });

  it('reads in its one statement what the reads of each table return', async () => {
    const d = await fileDossier();
    const other = await fileDossier();
    await upsertPreferences(db(), { dossier_id: d.id, channels: ['email', 'webhook'], ...by });
    for (const event of ['received', 'result_ready', 'returned'] as const) {
      for (const target of [d, other]) {
        const one = await citizenMessageSources(db(), target.id, event);
        const agencies = [AGENCY, 'default'];
        const settings = await agencySettings(db(), agencies);
        const switches = (await switchesFor(db(), agencies)).filter((s) => s.event === event);
        const templates: { channel: Channel; version: number; subject: string | null; body: string }[] = [];
        for (const channel of CHANNELS) {
          const t = await currentTemplate(db(), event, channel);
          if (t) templates.push({ channel, version: t.version, subject: t.subject, body: t.body });
        }
        const byKey = <T extends { agency_code: string }>(xs: T[]) =>
          [...xs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
        expect(one).toBeDefined();
        expect(one!.dossier).toMatchObject({ id: target.id, code: target.code, agency_code: AGENCY });
        expect(byKey(one!.settings)).toEqual(
          byKey(
            settings.map((s) => ({
              agency_code: s.agency_code,
              sms_unaccented: s.sms_unaccented,
              result_place: s.result_place,
            })),
          ),
        );
        expect(byKey(one!.switches)).toEqual(
          byKey(
            switches.map((s) => ({
              agency_code: s.agency_code,
              event: s.event,
              channel: s.channel,
              enabled: s.enabled,
            })),
          ),
        );
        expect(one!.preferences).toEqual((await preferencesOf(db(), target.id)) ?? null);
        expect([...one!.templates].sort((a, b) => a.channel.localeCompare(b.channel))).toEqual(
          templates.sort((a, b) => a.channel.localeCompare(b.channel)),
        );
      }
    }
  });
});

describe('citizen messages of many changes (the events a consumer applies together)', () => {
  const deps = () => ({ clock: h.now, config, logger: h.t.logger });
  const projection = (rows: Awaited<ReturnType<typeof messagesOf>>) =>
    rows
      .map((m) => [
        m.dossier_id,
        m.event,
        m.channel,
        m.destination,
        m.template_version,
        m.subject,
        m.body,
        m.dedupe_key,
      ])
      .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));

  it('writes each change as it alone would, in one read and one insert, each message in its own event trace', async () => {
    const a = await fileDossier();
    const b = await fileDossier();
    await upsertPreferences(db(), { dossier_id: b.id, channels: ['sms', 'email'], ...by });
    const at = h.now().toISOString();
    // Two events of one dossier and one of another; the agency's e-mail is off for "received" only.
    const changes = [
      { dossierId: a.id, notice: { event: 'received', data: {} } as CitizenNotice },
      { dossierId: a.id, notice: resultReady },
      { dossierId: b.id, notice: { event: 'received', data: {} } as CitizenNotice },
      { dossierId: randomUUID(), notice: resultReady },
    ].map((c, i) => ({
      ...c,
      source: { id: randomUUID(), occurredAt: at },
      traceparent: `00-${String(i + 1).padStart(32, '0')}-${String(i + 1).padStart(16, '0')}-01`,
    }));

    // Each change alone, in a transaction rolled back: what the batch must write.
    const aloneRows = await withTransaction(db(), async (tx) => {
      for (const c of changes) await createCitizenMessages(tx, deps(), c.source, c.dossierId, c.notice);
      const rows = await withNotifications(tx)
        .selectFrom('notification_messages')
        .selectAll()
        .where('dossier_id', 'in', [a.id, b.id])
        .execute();
      throw Object.assign(new Error('rolled back'), { rows });
    }).catch((err: { rows?: Awaited<ReturnType<typeof messagesOf>> }) => err.rows ?? []);
    expect(aloneRows.length).toBeGreaterThan(0);

    const { created, statements } = await counting((tx) => createCitizenMessagesOf(tx, deps(), changes));
    expect(statements).toHaveLength(2);
    const rows = [...(await messagesOf(a.id)), ...(await messagesOf(b.id))];
    expect(created).toBe(rows.length);
    expect(projection(rows)).toEqual(projection(aloneRows));
    // No e-mail of "received" (switched off for the agency), one of "result_ready".
    expect(rows.filter((m) => m.dossier_id === a.id && m.channel === 'email').map((m) => m.event)).toEqual([
      'result_ready',
    ]);
    for (const m of rows) {
      const i = changes.findIndex((c) => m.dedupe_key.startsWith(`event:${c.source.id}:`));
      expect(m.traceparent).toBe(changes[i]!.traceparent);
    }
  });
});
