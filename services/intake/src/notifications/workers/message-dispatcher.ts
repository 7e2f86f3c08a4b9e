import { withTransaction } from '@tthc/db';
import type { Queue } from 'bullmq';
import { claimUnenqueued, markEnqueued, newSendRound, staleInFlight } from '../db/message.repository';
import { withNotifications, type Channel } from '../db/notification.schema';
import type { NotificationDeps } from '../notification.deps';
import { SendJob, sendJobId } from './notification-queues';

const BATCH = 200;
/** Job states in which BullMQ will still run a send: the message is not lost. */
const ALIVE = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);
const SWEEP_EVERY_MS = 60_000;

/**
 * Hands queued messages to their channel's send queue. Messages are written in the transaction
 * of the change (or of the reminder claim) and a queue cannot join a Postgres transaction, so the
 * table is its own outbox: rows are claimed with FOR UPDATE SKIP LOCKED (replicas take different
 * rows) and marked enqueued in the same transaction; the job id is the message id and its send
 * round, so a dispatcher that dies between the two re-adds a job BullMQ drops as a duplicate.
 *
 * A sweep finds messages in flight for longer than every retry could take whose job BullMQ no
 * longer holds (Redis lost it, a crash on the last attempt) and sends them again in a new round:
 * a message never silently stops between queued and a final state.
 */
export class MessageDispatcher {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** A nudge that came while a round ran: the loop goes again instead of sleeping. */
  private nudged = false;
  private lastSweep = 0;
  private readonly stuckAfterMs: number;

  constructor(
    private readonly deps: Pick<NotificationDeps, 'db' | 'clock' | 'logger' | 'config'>,
    private readonly queues: Record<Channel, Queue>,
  ) {
    const { NOTIFY_BACKOFF_MS: base, NOTIFY_MAX_ATTEMPTS: attempts } = deps.config;
    this.stuckAfterMs = Math.max(10 * 60_000, 2 * base * 2 ** (attempts - 1));
  }

  /** Messages whose job is lost get a new send round; returns how many. */
  async sweepStuck(): Promise<number> {
    const now = this.deps.clock();
    const lost = await withTransaction(withNotifications(this.deps.db), async (tx) => {
      const rows = await staleInFlight(tx, new Date(now.getTime() - this.stuckAfterMs), BATCH);
      const alive: string[] = [];
      const gone: string[] = [];
      for (const r of rows) {
        const job = await this.queues[r.channel].getJob(sendJobId(r.id, r.send_round));
        (job && ALIVE.has(await job.getState()) ? alive : gone).push(r.id);
      }
      await markEnqueued(tx, alive, now);
      await newSendRound(tx, gone, now);
      return gone.length;
    });
    if (lost > 0) this.deps.logger.warn({ count: lost }, 'notification send jobs lost: sending again');
    return lost;
  }

  /** Claims and enqueues one batch (after a sweep when one is due); returns how many messages it handed over. */
  async dispatchOnce(sweep = false): Promise<number> {
    if (sweep || Date.now() - this.lastSweep > SWEEP_EVERY_MS) {
      this.lastSweep = Date.now();
      await this.sweepStuck();
    }
    return withTransaction(withNotifications(this.deps.db), async (tx) => {
      const rows = await claimUnenqueued(tx, BATCH);
      for (const channel of ['sms', 'email', 'webhook'] as const) {
        const jobs = rows
          .filter((r) => r.channel === channel)
          .map((r) => ({
            name: 'send',
            data: SendJob.parse({ messageId: r.id }),
            opts: { jobId: sendJobId(r.id, r.send_round) },
          }));
        if (jobs.length > 0) await this.queues[channel].addBulk(jobs);
      }
      await markEnqueued(
        tx,
        rows.map((r) => r.id),
        this.deps.clock(),
      );
      return rows.length;
    });
  }

  /** Runs until stopped: at once when nudged (after a commit that wrote messages), else every interval. */
  start(intervalMs: number): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        let sent = 0;
        this.nudged = false;
        try {
          sent = await this.dispatchOnce();
        } catch (err) {
          this.deps.logger.error({ err: (err as Error).message }, 'notification dispatch failed, will retry');
        }
        if (sent < BATCH && this.running && !this.nudged) {
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, intervalMs);
            this.wake = () => {
              clearTimeout(t);
              resolve();
            };
          });
          this.wake = undefined;
        }
      }
    })();
  }

  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }
}
