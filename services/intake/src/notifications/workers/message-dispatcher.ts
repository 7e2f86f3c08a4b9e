import { PollingLoop, startSendSpan, type SendSpan } from '@tthc/bus';
import { withTransaction } from '@tthc/db';
import type { Queue } from 'bullmq';
import {
  claimUnenqueued,
  markEnqueued,
  newSendRound,
  releaseClaim,
  staleInFlight,
} from '../db/message.repository';
import { withNotifications, type Channel } from '../db/notification.schema';
import { messagesQueued } from '../message-signal';
import type { NotificationDeps } from '../notification.deps';
import { SendJob, sendJobId } from './notification-queues';

const BATCH = 200;
/** Job states in which BullMQ will still run a send: the message is not lost. */
const ALIVE = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);
const SWEEP_EVERY_MS = 60_000;

/**
 * Hands queued messages to their channel's send queue. Messages are written in the transaction
 * of the change (or of the reminder claim) and a queue cannot join a Postgres transaction, so the
 * table is its own outbox: rows are claimed with FOR UPDATE SKIP LOCKED and marked enqueued in
 * one statement (replicas take different rows), and the jobs are added after it commits,
 * so no transaction waits on Redis. The job id is the message id and its send round: a claim
 * given back after a failed add, or a dispatcher that dies in between, never makes a second job.
 *
 * A sweep finds messages in flight for longer than every retry could take whose job BullMQ no
 * longer holds (Redis lost it, a crash between the claim and the add, a crash on the last
 * attempt) and sends them again in a new round: a message never silently stops between queued
 * and a final state.
 */
export class MessageDispatcher {
  private readonly stuckAfterMs: number;
  private readonly loop: PollingLoop;

  constructor(
    private readonly deps: Pick<NotificationDeps, 'db' | 'clock' | 'logger' | 'config'>,
    private readonly queues: Record<Channel, Queue>,
  ) {
    const { NOTIFY_BACKOFF_MS: base, NOTIFY_MAX_ATTEMPTS: attempts } = deps.config;
    this.stuckAfterMs = Math.max(10 * 60_000, 2 * base * 2 ** (attempts - 1));
    this.loop = new PollingLoop({
      name: 'notification dispatcher',
      logger: deps.logger,
      round: () => this.dispatchRound(),
      batchSize: BATCH,
      idleMs: deps.config.NOTIFY_DISPATCH_INTERVAL_MS,
      sweep: { everyMs: SWEEP_EVERY_MS, run: () => this.sweepStuck() },
      signal: messagesQueued,
    });
  }

  /** Messages whose job is lost get a new send round; returns how many. */
  async sweepStuck(): Promise<number> {
    const db = withNotifications(this.deps.db);
    const now = this.deps.clock();
    const rows = await staleInFlight(db, new Date(now.getTime() - this.stuckAfterMs), BATCH);
    const alive: string[] = [];
    const gone: typeof rows = [];
    for (const r of rows) {
      const job = await this.queues[r.channel].getJob(sendJobId(r.id, r.send_round));
      if (job && ALIVE.has(await job.getState())) alive.push(r.id);
      else gone.push(r);
    }
    if (rows.length === 0) return 0;
    await withTransaction(db, async (tx) => {
      await markEnqueued(tx, alive, now);
      await newSendRound(tx, gone, now);
    });
    return gone.length;
  }

  /** Claims and enqueues one batch; returns how many messages it handed over. */
  async dispatchRound(): Promise<number> {
    const db = withNotifications(this.deps.db);
    const claimedAt = this.deps.clock();
    // Claimed and marked enqueued in one statement (its own short transaction).
    const rows = await claimUnenqueued(db, BATCH, claimedAt);
    // Each hand-over is a span continuing the trace the message was written in; the job carries
    // it on to the send.
    const spans: SendSpan[] = [];
    const traced = (r: (typeof rows)[number]) => {
      const span = startSendSpan(`notification dispatch ${r.channel}`, {
        parent: r.traceparent,
        service: 'intake',
        attributes: { 'messaging.system': 'bullmq', 'messaging.message.id': r.id },
      });
      spans.push(span);
      return span.traceparent;
    };
    try {
      for (const channel of ['sms', 'email', 'webhook'] as const) {
        const jobs = rows
          .filter((r) => r.channel === channel)
          .map((r) => ({
            name: 'send',
            data: SendJob.parse({ messageId: r.id, traceparent: traced(r) }),
            opts: { jobId: sendJobId(r.id, r.send_round) },
          }));
        if (jobs.length > 0) await this.queues[channel].addBulk(jobs);
      }
      for (const span of spans) span.end();
    } catch (err) {
      for (const span of spans) span.end(err);
      await releaseClaim(
        db,
        rows.map((r) => r.id),
        claimedAt,
      );
      throw err;
    }
    return rows.length;
  }

  /** One round (after a sweep when one is due, or asked for). */
  dispatchOnce(sweep = false): Promise<number> {
    return this.loop.runOnce(sweep);
  }

  /** Runs until stopped: at once when messages are queued, else every interval. */
  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
