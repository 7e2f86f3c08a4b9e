import { eventRoutes, type EventEnvelope, type EventType, type QueueName } from '@tthc/contracts';
import { Queue } from 'bullmq';
import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { BusTables } from './outbox';
import { PollingLoop } from './polling-loop';
import { jobRetention, type BusConnection } from './redis';
import { outboxWritten } from './signal';

export interface RelayOptions {
  db: Kysely<any>;
  bus: BusConnection;
  logger: Logger;
  /** Rows claimed per round. */
  batchSize?: number;
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
 * any number of relays (replicas) can run at once without sending a row twice; the BullMQ job id
 * is the event id, so a relay that dies between enqueue and commit re-sends a duplicate that
 * BullMQ drops. A failed send is retried with exponential backoff, recorded on the row.
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
      batchSize: options.batchSize ?? 100,
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
        .set({ sent_at: null, available_at: sql<Date>`now()`, last_error: 'Redis lost the job: sent again' })
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
        defaultJobOptions: { ...jobRetention, attempts: 10, backoff: { type: 'exponential', delay: 1000 } },
      });
      this.queues.set(name, q);
    }
    return q;
  }

  /** Claims and sends one batch. Returns the number of rows sent. */
  async relayOnce(): Promise<number> {
    const batchSize = this.options.batchSize ?? 100;
    const base = this.options.baseBackoffMs ?? 1000;
    const max = this.options.maxBackoffMs ?? 5 * 60_000;
    return this.db.transaction().execute(async (tx) => {
      const rows = await tx
        .selectFrom('outbox')
        .selectAll()
        .where('sent_at', 'is', null)
        .where('available_at', '<=', sql<Date>`now()`)
        .orderBy('occurred_at')
        .orderBy('id')
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      let sent = 0;
      for (const row of rows) {
        const envelope: EventEnvelope = {
          id: row.id,
          type: row.type as EventType,
          schemaVersion: row.schema_version,
          source: row.source,
          entityId: row.entity_id,
          entityVersion: row.entity_version,
          occurredAt: new Date(row.occurred_at).toISOString(),
          requestId: row.request_id,
          payload: row.payload,
        };
        try {
          const routes = eventRoutes[envelope.type] ?? [];
          for (const queueName of routes) {
            await (this.options.enqueue
              ? this.options.enqueue(queueName, envelope)
              : this.queue(queueName).add(envelope.type, envelope, { jobId: envelope.id }));
          }
          await tx
            .updateTable('outbox')
            .set({ sent_at: sql<Date>`now()`, last_error: null })
            .where('id', '=', row.id)
            .execute();
          sent++;
        } catch (err) {
          const attempts = row.attempts + 1;
          const delay = Math.min(max, base * 2 ** (attempts - 1));
          const message = err instanceof Error ? err.message : String(err);
          this.options.logger.warn(
            { eventId: row.id, type: row.type, attempts, err: message },
            'outbox relay: send failed, will retry',
          );
          await tx
            .updateTable('outbox')
            .set({
              attempts,
              last_error: message.slice(0, 1000),
              available_at: sql<Date>`now() + ${`${delay} milliseconds`}::interval`,
            })
            .where('id', '=', row.id)
            .execute();
        }
      }
      return sent;
    });
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
