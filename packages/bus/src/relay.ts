import { eventRoutes, type EventEnvelope, type QueueName } from '@tthc/contracts';
import { Queue } from 'bullmq';
import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import { eventsJobsOf } from './event-jobs';
import { envelopeOf, type BusTables, type OutboxTable } from './outbox';
import { PollingLoop } from './polling-loop';
import { eventJobOptions, type BusConnection } from './redis';
import { outboxWritten } from './signal';
import { startSendSpan, type SendSpan } from './trace-context';

/** Rows claimed per round: enough that one round keeps up with a burst of receipts. */
const DEFAULT_BATCH = 500;

type OutboxRow = Pick<
  OutboxTable,
  'id' | 'type' | 'source' | 'entity_id' | 'entity_version' | 'request_id' | 'payload'
> & { schema_version: number; occurred_at: Date; traceparent: string | null };

export interface RelayOptions {
  db: Kysely<any>;
  bus: BusConnection;
  logger: Logger;
  /** Rows claimed per round. */
  batchSize?: number;
  /** How long claimed rows stay with this relay before another may send them again (it died). */
  leaseMs?: number;
  /** Pause between rounds when the outbox was empty. */
  idleMs?: number;
  /** First retry delay; doubles per attempt up to maxBackoffMs. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** How an event reaches a queue; BullMQ by default (tests put a failing one here). */
  enqueue?: (queue: QueueName, envelope: EventEnvelope) => Promise<unknown>;
  /** Names the outbox (its Redis marker); the service's schema by default. */
  name?: string;
  /** How often the relay checks that Redis still holds what it handed over. */
  sweepEveryMs?: number;
  /**
   * When Redis lost its data, events sent this long before it was last seen intact are sent
   * again too: jobs still waiting in a queue then were lost with it (default one hour; older
   * backlogs are for the consumers' reconciliation).
   */
  lostLookbackMs?: number;
}

/**
 * Moves outbox rows to their subscriber queues. Rows are claimed with FOR UPDATE SKIP LOCKED, so
 * any number of relays (replicas) can run at once without sending a row twice; a relay that dies
 * between enqueue and commit sends those events again, which the consumers' inboxes drop. A failed send is retried with exponential backoff, recorded on the row.
 */
export class OutboxRelay {
  private readonly db: Kysely<BusTables>;
  private readonly queues = new Map<QueueName, Queue>();
  private readonly loop: PollingLoop;
  /** When Redis was last seen holding the marker (database time); undefined until the first sweep. */
  private markerSeenAt: Date | undefined;

  constructor(private readonly options: RelayOptions) {
    this.db = options.db as Kysely<BusTables>;
    this.loop = new PollingLoop({
      name: `outbox relay ${options.name ?? 'outbox'}`,
      logger: options.logger,
      round: () => this.relayOnce(),
      batchSize: options.batchSize ?? DEFAULT_BATCH,
      idleMs: options.idleMs ?? 250,
      sweep: { everyMs: options.sweepEveryMs ?? 30_000, run: () => this.sweepLost() },
      signal: outboxWritten,
    });
  }

  /**
   * Takes back what Redis lost: the relay keeps a marker key in Redis; when it has vanished
   * (Redis restarted without persistence, a failover to an empty replica), the events sent
   * since shortly before the marker was last seen (lostLookbackMs: jobs still queued then went
   * too) are sent again. Consumers apply an event once, so a re-sent event that did arrive
   * changes nothing. Returns how many it took back.
   */
  async sweepLost(): Promise<number> {
    const redis = this.options.bus.redis;
    const key = `${this.options.bus.prefix}:outbox-relay:${this.options.name ?? 'outbox'}:marker`;
    const { rows } = await sql<{ now: Date }>`select now() as now`.execute(this.db);
    const now = rows[0]!.now;
    const present = (await redis.exists(key)) === 1;
    let taken = 0;
    if (!present && this.markerSeenAt) {
      const since = new Date(this.markerSeenAt.getTime() - (this.options.lostLookbackMs ?? 3_600_000));
      const result = await this.db
        .updateTable('outbox')
        .set({
          sent_at: null,
          available_at: sql<Date>`now()`,
          leased_until: null,
          last_error: 'Redis lost the job: sent again',
        })
        .where('sent_at', '>=', since)
        .executeTakeFirst();
      taken = Number(result.numUpdatedRows);
    }
    if (!present) await redis.set(key, now.toISOString());
    this.markerSeenAt = now;
    return taken;
  }

  private queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, {
        connection: this.options.bus.redis,
        prefix: this.options.bus.prefix,
        defaultJobOptions: eventJobOptions,
      });
      this.queues.set(name, q);
    }
    return q;
  }

  /**
   * Claims and sends one batch. Returns the number of rows sent.
   *
   * No transaction stays open while Redis is written: one statement claims the batch by leasing
   * it (its rows become available again only after `leaseMs`, so other relays skip them), the
   * events go to Redis in one pipelined round trip per queue (BullMQ addBulk of jobs of up to a
   * hundred events, event-jobs.ts), and one statement marks what was sent. A relay that dies in
   * between leaves the rows to be sent again when the lease ends: a job sent again unchanged is
   * dropped by BullMQ (its id names its events), and the consumers apply an event once. A row whose queue
   * could not be reached is retried with exponential backoff, recorded on the row.
   */
  async relayOnce(): Promise<number> {
    const batchSize = this.options.batchSize ?? DEFAULT_BATCH;
    const base = this.options.baseBackoffMs ?? 1000;
    const max = this.options.maxBackoffMs ?? 5 * 60_000;
    const lease = this.options.leaseMs ?? 30_000;
    const { rows } = await sql<OutboxRow>`
      update outbox o set leased_until = now() + ${`${lease} milliseconds`}::interval
      where o.id in (
        select id from outbox
        where sent_at is null and available_at <= now() and (leased_until is null or leased_until <= now())
        order by available_at, occurred_at, id
        limit ${batchSize}
        for update skip locked)
      returning o.id, o.type, o.schema_version, o.source, o.entity_id, o.entity_version, o.occurred_at,
        o.request_id, o.traceparent, o.payload`.execute(this.db);
    if (rows.length === 0) return 0;
    rows.sort((x, y) => +new Date(x.occurred_at) - +new Date(y.occurred_at) || (x.id < y.id ? -1 : 1));
    // Each event's send is a span continuing the trace its row was written in; the event carries
    // the span on to the consumers.
    const spans = new Map<string, SendSpan>();
    const envelopes: EventEnvelope[] = rows.map((row) => {
      const span = startSendSpan(`outbox relay ${row.type}`, {
        parent: row.traceparent,
        service: this.options.name ?? 'outbox',
        attributes: {
          'messaging.system': 'bullmq',
          'messaging.message.id': row.id,
          'tthc.event.type': row.type,
        },
      });
      spans.set(row.id, span);
      return envelopeOf(row, span.traceparent);
    });
    const failed = new Map<string, string>();
    const byQueue = new Map<QueueName, EventEnvelope[]>();
    for (const e of envelopes)
      for (const q of eventRoutes[e.type] ?? []) byQueue.set(q, [...(byQueue.get(q) ?? []), e]);
    await Promise.all(
      [...byQueue].map(async ([queueName, batch]) => {
        try {
          if (this.options.enqueue) {
            const enqueue = this.options.enqueue;
            await Promise.all(batch.map((e) => enqueue(queueName, e)));
          } else {
            await this.queue(queueName).addBulk(eventsJobsOf(batch));
          }
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          for (const e of batch) failed.set(e.id, message);
        }
      }),
    );
    for (const [id, span] of spans) {
      const error = failed.get(id);
      span.end(error === undefined ? undefined : new Error(error));
    }
    const sent = envelopes.filter((e) => !failed.has(e.id)).map((e) => e.id);
    if (sent.length > 0)
      await this.db
        .updateTable('outbox')
        .set({ sent_at: sql<Date>`now()`, last_error: null })
        .where('id', 'in', sent)
        .execute();
    if (failed.size > 0) {
      const message = [...failed.values()][0]!;
      this.options.logger.warn(
        { count: failed.size, eventIds: [...failed.keys()].slice(0, 10), err: message },
        'outbox relay: send failed, will retry',
      );
      // The delay doubles with each attempt: base × 2^(attempts before this one), at most max.
      await this.db
        .updateTable('outbox')
        .set({
          attempts: sql<number>`attempts + 1`,
          last_error: message.slice(0, 1000),
          available_at: sql<Date>`now() + least(${max}::float8, ${base}::float8 * power(2, attempts)) * interval '1 millisecond'`,
          leased_until: null,
        })
        .where('id', 'in', [...failed.keys()])
        .execute();
    }
    return sent.length;
  }

  start(): void {
    this.loop.start();
  }

  /** Asks the loop to run now (a commit wrote events) instead of waiting for the idle tick. */
  nudge(): void {
    this.loop.nudge();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
