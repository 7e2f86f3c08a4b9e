import { randomUUID } from 'node:crypto';
import { withTransaction } from '@tthc/db';
import pg from 'pg';
import {
  claimUnenqueued,
  findMessage,
  insertMessages,
  messageLog,
  moveStatus,
  recordAttemptFailed,
  recordPermanentFailure,
  recordSent,
  type TrailEntry,
} from '../src/notifications/db/message.repository';
import { withNotifications } from '../src/notifications/db/notification.schema';
import { startIntake, type Harness } from './harness';
import { ensureNotificationTables } from './notifications.fixtures';

/** The message store's combined writes: a claim that marks what it takes, a state change with its trail. */
let h: Harness;
const db = () => withNotifications(h.t.db);
const at = new Date('2026-11-23T02:00:00Z');

beforeAll(async () => {
  h = await startIntake();
  await ensureNotificationTables(h.t.db);
});
afterAll(() => h.close());

async function queued(count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  const created = await insertMessages(
    db(),
    ids.map((id) => ({
      id,
      dedupe_key: `test:${id}`,
      audience: 'officer' as const,
      dossier_id: null,
      dossier_code: null,
      agency_code: '000.00.17.H55',
      event: 'digest',
      channel: 'email' as const,
      recipient_role: 'officer' as const,
      recipient_ref: 'cv.a',
      destination: 'cv.a@example.vn',
      template_version: 1,
      subject: 's',
      body: 'b',
      status: 'queued' as const,
      created_at: at,
      updated_at: at,
    })),
  );
  expect(created).toBe(count);
  return ids;
}

/** The statements fn sends, on any client. */
async function counted<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number }> {
  let statements = 0;
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    statements++;
    return original.apply(this, args);
  } as typeof pg.Client.prototype.query;
  try {
    return { result: await fn(), statements };
  } finally {
    pg.Client.prototype.query = original as typeof pg.Client.prototype.query;
  }
}

describe('dispatch claim', () => {
  it('takes queued messages in creation order and marks them enqueued in the same statement; a claim running at once takes the others', async () => {
    const ids = await queued(5);
    const claimedAt = new Date('2026-11-23T02:00:01Z');
    const other = new Date('2026-11-23T02:00:02Z');
    const [first, second] = await withTransaction(db(), async (tx) => {
      const { result, statements } = await counted(() => claimUnenqueued(tx, 3, claimedAt));
      expect(statements).toBe(1);
      // Its rows stay locked until it commits: another dispatcher skips them.
      const rest = await claimUnenqueued(db(), 3, other);
      return [result, rest];
    });
    expect(first.map((r) => r.id)).toEqual(ids.slice(0, 3));
    expect(second.map((r) => r.id)).toEqual(ids.slice(3));
    expect(first[0]).toEqual({ id: ids[0], channel: 'email', send_round: 0, traceparent: null });
    const stamps = await Promise.all(ids.map(async (id) => (await findMessage(db(), id))!.enqueued_at));
    expect(stamps).toEqual([claimedAt, claimedAt, claimedAt, other, other]);
    expect(await claimUnenqueued(db(), 3, other)).toEqual([]);
  });
});

describe('a state change with its trail', () => {
  const entry = (messageId: string, outcome: string): TrailEntry => ({
    message_id: messageId,
    at,
    kind: 'attempt',
    provider: 'sms_gateway',
    outcome,
    detail: `detail ${outcome}`,
  });

  it('writes the entries in order with the change, in one statement, and even when the state does not move', async () => {
    const [id] = (await queued(1)) as [string];
    const failed = await counted(() =>
      recordAttemptFailed(db(), id, { attempts: 1, error: 'e', at }, [
        entry(id, 'unanswered'),
        entry(id, 'deferred'),
      ]),
    );
    expect(failed.statements).toBe(1);
    expect(await findMessage(db(), id)).toMatchObject({ status: 'failed', attempts: 1, last_error: 'e' });

    const sent = await counted(() =>
      recordSent(db(), id, { attempts: 2, provider: 'sms_gateway', providerMessageId: 'gw-1', at }, [
        entry(id, 'sent'),
      ]),
    );
    expect(sent.statements).toBe(1);
    expect(await findMessage(db(), id)).toMatchObject({
      status: 'sent',
      attempts: 2,
      provider_message_id: 'gw-1',
      last_error: null,
    });

    // Already sent: the message does not move, and the entry is written all the same.
    const late = await counted(() =>
      recordPermanentFailure(db(), id, { attempts: 3, error: 'late', at }, [entry(id, 'failed')]),
    );
    expect(late).toEqual({ result: false, statements: 1 });
    expect(await findMessage(db(), id)).toMatchObject({ status: 'sent', attempts: 2 });

    expect((await messageLog(db(), id)).map((l) => l.outcome)).toEqual([
      'unanswered',
      'deferred',
      'sent',
      'failed',
    ]);
    // Without entries, the change alone.
    expect(await recordPermanentFailure(db(), id, { error: 'x', at, from: ['sent'] })).toBe(true);
    expect(await messageLog(db(), id)).toHaveLength(4);
  });

  it('moves a message on a delivery report and writes the report in one statement, marked ignored when it does not move', async () => {
    const [id] = (await queued(1)) as [string];
    const report = { at, provider: 'sms_gateway', outcome: 'delivered', detail: null };
    const delivered = await counted(() =>
      moveStatus(db(), id, 'delivered', ['queued', 'sent'], at, null, report),
    );
    expect(delivered).toEqual({ result: true, statements: 1 });
    const late = await counted(() =>
      moveStatus(db(), id, 'sent', ['queued'], at, null, { ...report, outcome: 'sent', detail: 'late' }),
    );
    expect(late).toEqual({ result: false, statements: 1 });
    expect(await findMessage(db(), id)).toMatchObject({ status: 'delivered', delivered_at: at });
    expect((await messageLog(db(), id)).map((l) => [l.kind, l.provider, l.outcome, l.detail])).toEqual([
      ['callback', 'sms_gateway', 'delivered', null],
      ['callback', 'sms_gateway', 'sent (ignored)', 'late'],
    ]);
  });
});
