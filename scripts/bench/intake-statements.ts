/**
 * Counts the SQL statements (BEGIN and COMMIT included) the intake sends to Postgres for one
 * desk receipt, one portal submission, the acceptance of that submission and an idempotent retry,
 * on a real Postgres (TEST_DATABASE_URL) with the test harness's intake app. Every query that
 * reaches a pg client is counted (pg.Client.prototype.query wrapped), and the longest time the
 * receipt transaction held the agency's serial row is not measured here (see intake-throughput).
 *
 *
 * Then the notification path of one filing, downstream of the receipt: the outbox relay, the
 * notification consumer (inbox row and citizen messages), the dispatcher and the sender, with the
 * module's workers running (log provider on every channel, so no network). Each statement is
 * put to the stage that sent it by its (async) stack; a filing is counted from its POST until
 * every message it made is sent, with the database polled on a connection that is not counted,
 * then a provider's delivery report of each message. Two filings: the applicant with a phone
 * only (one SMS), and with a phone and an e-mail (two). "relay to sent" sums the stages after the
 * receipt up to the sent messages; "and the delivery reports" adds the reports.
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres TEST_REDIS_URL=redis://127.0.0.1:6379 \
 *     npx tsx scripts/bench/intake-statements.ts [rounds=5] [--log]
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { applicant, desk, startIntake } from '../../services/intake/test/harness';
import { CALLBACK_TOKEN, startNotifications } from '../../services/intake/test/notifications.fixtures';
import { SCHEMA } from '../../services/intake/src/db/schema';
import { benchEnv } from './bench-env';

const rounds = Number(process.argv[2] ?? 5);
const log = process.argv.includes('--log');

let counting = false;
let statements: string[] = [];
/** The stage of each counted statement (notification path only), in the order sent. */
let staged: { stage: Stage; text: string; client: object }[] = [];
let staging = false;
/** Clients whose statements are not counted (the bench's own polling). */
const uncounted = new WeakSet<object>();

/** The stages of the notification path, told apart by the frames of the statement's async stack. */
const STAGES = [
  ['delivery report', /callback\.routes/],
  ['sender', /message-sender\.worker/],
  ['dispatcher sweep', /sweepStuck/],
  ['dispatcher', /message-dispatcher/],
  ['consumer', /notification-events\.worker|citizen-messages\.command|InboxBatcher|applyOnce/],
  ['relay', /OutboxRelay|relay\.(js|ts)/],
] as const;
type Stage = (typeof STAGES)[number][0] | 'receipt' | 'other';
/** What the bench itself is doing (a request it makes): the stage of a statement no frame places. */
let foreground: Stage = 'other';
const stageOf = (stack: string): Stage => STAGES.find(([, re]) => re.test(stack))?.[0] ?? foreground;

/**
 * An async stack does not always reach the caller (a connection handed over through a callback):
 * a statement it leaves unplaced takes the stage of the transaction it is in, on its client (the
 * consumer's inbox row is the consumer's).
 */
function placeByTransaction(list: typeof staged): void {
  const open = new Map<object, (typeof staged)[number][]>();
  const settle = (tx: (typeof staged)[number][]) => {
    const known =
      tx.find((s) => s.stage !== 'other' && s.stage !== 'receipt' && s.stage !== 'delivery report')?.stage ??
      (tx.some((s) => /processed_events/.test(s.text)) ? 'consumer' : undefined);
    if (known) for (const s of tx) if (s.stage === 'other' || s.stage === 'receipt') s.stage = known;
  };
  for (const s of list) {
    const verb = s.text.trim().toLowerCase();
    if (verb === 'begin') open.set(s.client, [s]);
    const tx = open.get(s.client);
    if (!tx) {
      if (s.stage === 'other' && /processed_events/.test(s.text)) s.stage = 'consumer';
      continue;
    }
    if (verb !== 'begin') tx.push(s);
    if (verb === 'commit' || verb === 'rollback') {
      settle(tx);
      open.delete(s.client);
    }
  }
}

const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if ((counting || staging) && !uncounted.has(this)) {
    const q = args[0];
    const text = (typeof q === 'string' ? q : ((q as { text?: string })?.text ?? '?'))
      .replace(/\s+/g, ' ')
      .slice(0, 110);
    if (counting) statements.push(text);
    if (staging) staged.push({ stage: stageOf(new Error().stack ?? ''), text, client: this });
  }
  return original.apply(this, args);
} as typeof pg.Client.prototype.query;
Error.stackTraceLimit = 200;

async function measure(label: string, run: () => Promise<{ statusCode: number }>, expect: number) {
  const counts: number[] = [];
  for (let i = 0; i < rounds; i++) {
    statements = [];
    counting = true;
    const res = await run();
    counting = false;
    if (res.statusCode !== expect) throw new Error(`${label}: HTTP ${res.statusCode}, expected ${expect}`);
    counts.push(statements.length);
    if (log && i === rounds - 1) for (const s of statements) console.log(`    ${s}`);
  }
  const first = counts[0];
  const rest = counts.slice(1);
  console.log(
    `${label.padEnd(28)} first ${String(first).padStart(3)}   then ${rest.length ? `${Math.min(...rest)}–${Math.max(...rest)}` : '-'} statements`,
  );
}

async function main(): Promise<void> {
  const env = await benchEnv();
  const h = await startIntake('2026-11-23T02:00:00Z');
  try {
    await measure('desk receipt', () => h.call('POST', '/v1/dossiers', desk()), 201);
    await measure(
      'portal submission',
      () => h.call('POST', '/v1/dossiers', desk({ source: 'portal', channel: 'online' })),
      201,
    );
    // Acceptance: a fresh submission each round, accepted with its ETag (the GET is not counted).
    const counts: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const sub = await h.call('POST', '/v1/dossiers', desk({ source: 'portal', channel: 'online' }));
      const ref = (sub.json() as { code: string }).code;
      const current = await h.call('GET', `/v1/dossiers/${ref}`);
      statements = [];
      counting = true;
      const res = await h.call(
        'POST',
        `/v1/dossiers/${ref}/accept`,
        {},
        {
          'if-match': current.headers.etag as string,
        },
      );
      counting = false;
      if (res.statusCode !== 200) throw new Error(`accept: HTTP ${res.statusCode} ${res.body}`);
      counts.push(statements.length);
      if (log && i === rounds - 1) for (const s of statements) console.log(`    ${s}`);
    }
    console.log(
      `${'acceptance'.padEnd(28)} first ${String(counts[0]).padStart(3)}   then ${Math.min(...counts.slice(1))}–${Math.max(...counts.slice(1))} statements`,
    );
    let n = 0;
    const key = () => `bench-key-${process.pid}-${n}`;
    await measure(
      'desk receipt with a key',
      () => {
        n++;
        return h.call('POST', '/v1/dossiers', desk(), { 'idempotency-key': key() });
      },
      201,
    );
    await measure(
      'idempotent retry',
      () => h.call('POST', '/v1/dossiers', desk(), { 'idempotency-key': key() }),
      201,
    );
  } finally {
    await h.close();
  }
  try {
    await notificationPath();
  } finally {
    await env.drop();
  }
}

/** Statements per filing on the notification path, per stage (see the header). */
async function notificationPath(): Promise<void> {
  const n = await startNotifications({
    // No idle rounds: the dispatcher runs when a commit signals messages (the sweep is told apart).
    NOTIFY_DISPATCH_INTERVAL_MS: '60000',
    NOTIFY_EMAIL_PROVIDERS: 'log',
  });
  const poll = new pg.Client({ connectionString: n.h.t.databaseUrl });
  uncounted.add(poll);
  await poll.connect();
  await poll.query(`set search_path to ${SCHEMA}`);
  try {
    const kinds = [
      ['filing, phone only (1 SMS)', desk()],
      [
        'filing, phone and e-mail (SMS + e-mail)',
        desk({ applicant: { ...applicant, email: 'an.nguyen@example.vn' } }),
      ],
    ] as const;
    for (const [label, body] of kinds) {
      const perRound: Map<Stage, number>[] = [];
      for (let i = 0; i < rounds; i++) {
        staged = [];
        staging = true;
        foreground = 'receipt';
        const res = await n.h.call('POST', '/v1/dossiers', body);
        foreground = 'other';
        if (res.statusCode !== 201) throw new Error(`${label}: HTTP ${res.statusCode}`);
        const code = (res.json() as { code: string }).code;
        await n.pump();
        const ids = await untilSent(poll, code);
        // Whatever the workers still send for this filing (a dispatcher round nudged twice).
        await sleep(300);
        // The provider's delivery report of each message.
        foreground = 'delivery report';
        for (const id of ids) {
          const r = await n.h.call(
            'POST',
            '/v1/notifications/callbacks/sms_gateway',
            { messageId: id, status: 'delivered' },
            { 'x-callback-token': CALLBACK_TOKEN },
          );
          if (r.statusCode !== 200) throw new Error(`delivery report: HTTP ${r.statusCode} ${r.body}`);
        }
        foreground = 'other';
        staging = false;
        placeByTransaction(staged);
        const counts = new Map<Stage, number>();
        for (const s of staged) counts.set(s.stage, (counts.get(s.stage) ?? 0) + 1);
        perRound.push(counts);
        if (log && i === rounds - 1) for (const s of staged) console.log(`    [${s.stage}] ${s.text}`);
      }
      console.log(label);
      const stages: Stage[] = [
        'receipt',
        'relay',
        'consumer',
        'dispatcher',
        'sender',
        'delivery report',
        'dispatcher sweep',
        'other',
      ];
      const total = (m: Map<Stage, number>, skip: Stage[] = []) =>
        [...m].filter(([k]) => !skip.includes(k)).reduce((a, [, v]) => a + v, 0);
      const range = (xs: number[]) =>
        Math.min(...xs) === Math.max(...xs) ? String(xs[0]) : `${Math.min(...xs)}–${Math.max(...xs)}`;
      for (const stage of stages) {
        const xs = perRound.slice(1).map((m) => m.get(stage) ?? 0);
        const first = perRound[0]?.get(stage) ?? 0;
        if (first === 0 && xs.every((x) => x === 0)) continue;
        console.log(
          `  ${stage.padEnd(26)} first ${String(first).padStart(3)}   then ${xs.length ? range(xs) : '-'}`,
        );
      }
      const after = (m: Map<Stage, number>) =>
        total(m, ['receipt', 'delivery report', 'dispatcher sweep', 'other']);
      const reported = (m: Map<Stage, number>) => after(m) + (m.get('delivery report') ?? 0);
      for (const [name, sum] of [
        ['relay to sent', after],
        ['and the delivery reports', reported],
      ] as const)
        console.log(
          `  ${name.padEnd(26)} first ${String(sum(perRound[0]!)).padStart(3)}   then ${range(perRound.slice(1).map(sum))} statements per filing`,
        );
    }
  } finally {
    await poll.end().catch(() => undefined);
    await n.close();
  }
}

/** Waits until every message of the dossier is sent, reading on the bench's own (uncounted) client. */
async function untilSent(poll: pg.Client, code: string): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const r = await poll.query<{ id: string; status: string }>(
      'select id, status from notification_messages where dossier_code = $1',
      [code],
    );
    if (r.rows.length > 0 && r.rows.every((m) => m.status === 'sent')) return r.rows.map((m) => m.id);
    await sleep(20);
  }
  throw new Error(`messages of ${code} not sent in time`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
