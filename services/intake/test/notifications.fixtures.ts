import { mkdtempSync } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutboxRelay } from '@tthc/bus';
import type { Db } from '@tthc/db';
import { eventually } from '@tthc/testkit';
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import { CalendarProvider } from '../src/calendar/calendar.cache';
import { up as migrateNotifications } from '../src/db/migrations/202611230006_notifications';
import type { IntakeDb } from '../src/db/schema';
import {
  createNotificationMetrics,
  NotificationConfig,
  notificationRoutes,
  startNotificationWorkers,
  type NotificationDeps,
  type NotificationWorkers,
} from '../src/notifications';
import type { MessageRow } from '../src/notifications/db/message.repository';
import { withNotifications } from '../src/notifications/db/notification.schema';
import { startIntake, type Harness } from './harness';

/** The template database lists the migrations of migrations/index.ts; until it lists this one, tests add it. */
export async function ensureNotificationTables(db: Db<IntakeDb>): Promise<void> {
  const r = await sql<{ t: string | null }>`select to_regclass('notification_messages')::text as t`.execute(
    db,
  );
  if (!r.rows[0]?.t) await migrateNotifications(db);
}

export const CALLBACK_TOKEN = 'test-callback-token-0123456789abcdefghij';
export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789abcdefghij';

export interface NotificationHarness {
  h: Harness;
  deps: NotificationDeps;
  workers: NotificationWorkers;
  /** Runs the outbox relay once: the committed dossier events go to their queues. */
  pump: () => Promise<number>;
  messages: (dossierCode: string) => Promise<MessageRow[]>;
  /** Waits until every message of the dossier satisfies the check (and there is at least one). */
  settled: (dossierCode: string, done?: (m: MessageRow) => boolean, count?: number) => Promise<MessageRow[]>;
  /** Waits until the notification consumer applied every event of the dossier emitted so far. */
  consumed: (dossierCode: string) => Promise<void>;
  close: () => Promise<void>;
}

/** The intake app with the notification routes and workers on a real Postgres and Redis, and a clock the test moves. */
export async function startNotifications(
  config: Record<string, string>,
  now = '2026-11-23T02:00:00Z',
): Promise<NotificationHarness> {
  const h = await startIntake(now);
  await ensureNotificationTables(h.t.db);
  const deps: NotificationDeps = {
    db: h.t.db,
    redis: h.t.redis,
    bus: h.t.bus,
    logger: h.t.logger,
    clock: h.now,
    calendars: new CalendarProvider(),
    config: NotificationConfig.parse({
      NOTIFY_MAX_ATTEMPTS: '3',
      NOTIFY_BACKOFF_MS: '20',
      NOTIFY_DISPATCH_INTERVAL_MS: '50',
      NOTIFY_SCAN_EVERY_MS: '0',
      NOTIFY_LOG_FILE: join(mkdtempSync(join(tmpdir(), 'tthc-notify-')), 'notifications.jsonl'),
      TRACKING_URL_BASE: 'https://dichvucong.quangnam.gov.vn/tra-cuu',
      NOTIFY_CALLBACK_TOKEN: CALLBACK_TOKEN,
      ...config,
    }),
    metrics: createNotificationMetrics(),
  };
  notificationRoutes(h.app, deps);
  const workers = startNotificationWorkers(deps);
  const relay = new OutboxRelay({ db: h.t.db, bus: h.t.bus, logger: h.t.logger });
  const db = withNotifications(h.t.db);
  const messages = (code: string) =>
    db
      .selectFrom('notification_messages')
      .selectAll()
      .where('dossier_code', '=', code)
      .orderBy('created_at')
      .orderBy('seq')
      .execute();
  return {
    h,
    deps,
    workers,
    pump: () => relay.relayOnce(),
    messages,
    settled: (code, done = (m) => m.status === 'sent', count = 1) =>
      eventually(
        async () => {
          const rows = await messages(code);
          return rows.length >= count && rows.every(done) ? rows : undefined;
        },
        { what: `messages of ${code}`, timeoutMs: 15_000 },
      ),
    consumed: async (code) => {
      const d = await db
        .selectFrom('dossiers')
        .select('id')
        .where((eb) => eb.or([eb('code', '=', code), eb('reference', '=', code)]))
        .executeTakeFirstOrThrow();
      await eventually(
        async () => {
          const r = await sql<{ left: number }>`
            select count(*)::int as left from outbox o
            where o.entity_id = ${d.id} and o.type in ('dossier.received','dossier.status_changed','dossier.supplement_requested','dossier.rescheduled','dossier.resolved','dossier.returned')
              and not exists (select 1 from processed_events p where p.event_id = o.id and p.queue = 'intake.notifications')`.execute(
            h.t.db,
          );
          return r.rows[0]?.left === 0 ? true : undefined;
        },
        { what: `events of ${code} consumed` },
      );
    },
    close: async () => {
      await workers.close();
      await relay.stop();
      await h.close();
    },
  };
}

export interface Recorded {
  /** Wall time the request arrived (epoch ms). */
  at: number;
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
}

/** A local HTTP server standing in for an SMS gateway or a webhook receiver; `respond` decides each answer. */
export interface FakeEndpoint {
  url: string;
  requests: Recorded[];
  /** The answer to the n-th request; `delayMs` holds it back (a gateway that takes a message and does not answer in time). */
  respond: (n: number, req: Recorded) => { status: number; body?: unknown; delayMs?: number };
  close: () => Promise<void>;
}

export async function startEndpoint(): Promise<FakeEndpoint> {
  const endpoint: FakeEndpoint = {
    url: '',
    requests: [],
    respond: (n) => ({ status: 200, body: { id: `gw-${n}` } }),
    close: async () => undefined,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        /* not JSON */
      }
      const rec: Recorded = { at: Date.now(), headers: req.headers, raw, body };
      endpoint.requests.push(rec);
      const answer = endpoint.respond(endpoint.requests.length, rec);
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`;
  endpoint.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return endpoint;
}

export interface Mail {
  to: string[];
  subject: string;
  text: string;
}

/** A local SMTP sink (smtp-server): keeps every mail; addresses in `reject` are refused at RCPT TO with 550. */
export async function startSmtpSink(): Promise<{
  port: number;
  mails: Mail[];
  reject: Set<string>;
  close: () => Promise<void>;
}> {
  const mails: Mail[] = [];
  const reject = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (reject.has(address.address))
        return cb(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      return cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          ...decodeMail(Buffer.concat(chunks).toString('utf8')),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, reject, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Enough MIME for the tests: a single text part, quoted-printable or base64, subject in encoded words. */
export function decodeMail(raw: string): { subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1] ?? '';
  const words = (s: string) =>
    s.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : qp(text.replace(/_/g, ' ')),
    );
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const text =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? qp(body.replace(/=\r\n/g, ''))
        : body;
  return { subject: words(header('Subject')).trim(), text: text.replace(/\r\n/g, '\n').trim() };
}

function qp(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '=' && /^[0-9A-F]{2}$/i.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(s[i] ?? '', 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}
