import type { EventType, TypedEvent } from '@tthc/contracts';
import { withTransaction } from '@tthc/db';
import { context, type Context } from '@opentelemetry/api';
import type { Kysely, Transaction } from 'kysely';
import type { BusTables } from './outbox';

export type EventHandler<T extends EventType> = (event: TypedEvent<T>, tx: Transaction<any>) => Promise<void>;
export type EventHandlers = { [T in EventType]?: EventHandler<T> };

/**
 * Applies an event at most once: the inbox row and the handler's writes share one transaction,
 * so a redelivered event finds its row and does nothing. Returns false for a duplicate.
 */
export async function applyOnce(
  db: Kysely<any>,
  queue: string,
  event: { id: string; type: string },
  apply: (tx: Transaction<any>) => Promise<void>,
  /** Runs after the handler, before the commit (ConsumerOptions.settle). */
  settle?: (tx: Transaction<any>) => Promise<void>,
): Promise<boolean> {
  return withTransaction(db as Kysely<BusTables>, async (tx) => {
    const inserted = await tx
      .insertInto('processed_events')
      .values({ event_id: event.id, queue, event_type: event.type })
      .onConflict((oc) => oc.columns(['event_id', 'queue']).doNothing())
      .returning('event_id')
      .executeTakeFirst();
    if (!inserted) return false;
    await apply(tx);
    await settle?.(tx);
    return true;
  });
}

interface Waiting {
  event: { id: string; type: string };
  apply: (tx: Transaction<any>) => Promise<void>;
  resolve: (applied: boolean) => void;
  reject: (err: unknown) => void;
  /** The caller's context (its job's span): its handler runs in it, whichever job flushed the batch. */
  ctx: Context;
}

/**
 * Applies events that arrive together in one transaction: one inbox statement for all of them,
 * each handler in arrival order, one commit, where one transaction per event would cost three
 * statements more each (BEGIN, the inbox row, COMMIT). Callers wait for their own event's answer,
 * as with applyOnce. What a batch gathers: the events handed in before the next flush, at most
 * `max`; a flush happens when `max` are waiting or `waitMs` after the first. A batch that fails
 * is applied again one event per transaction, so a failing event fails alone and the others
 * still apply; an event delivered twice within one batch is applied once.
 */
export class InboxBatcher {
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Kysely<any>,
    private readonly queue: string,
    private readonly max: number,
    private readonly waitMs = 2,
    /** Runs in each transaction after its handlers, before the commit (ConsumerOptions.settle). */
    private readonly settle?: (tx: Transaction<any>) => Promise<void>,
  ) {}

  apply(
    event: { id: string; type: string },
    apply: (tx: Transaction<any>) => Promise<void>,
  ): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.waiting.push({ event, apply, resolve, reject, ctx: context.active() });
      if (this.waiting.length >= this.max) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.waitMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.waiting.splice(0, this.max);
    if (this.waiting.length > 0) this.timer = setTimeout(() => this.flush(), this.waitMs);
    if (batch.length > 0) void this.run(batch);
  }

  private async run(batch: Waiting[]): Promise<void> {
    const settle = this.settle;
    const alone = (w: Waiting) =>
      context
        .with(w.ctx, () => applyOnce(this.db, this.queue, w.event, w.apply, settle))
        .then(w.resolve, w.reject);
    if (batch.length === 1) {
      await alone(batch[0]!);
      return;
    }
    // The uuid column answers in lower case, whatever case the envelope carried.
    const idOf = (w: Waiting) => w.event.id.toLowerCase();
    let applied: Set<Waiting>;
    try {
      applied = await withTransaction(this.db as Kysely<BusTables>, async (tx) => {
        // Inbox rows in id order: two batches holding the same redelivered events never wait on
        // each other in opposite orders.
        const rows = await tx
          .insertInto('processed_events')
          .values(
            [...batch]
              .sort((a, b) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0))
              .map((w) => ({ event_id: w.event.id, queue: this.queue, event_type: w.event.type })),
          )
          .onConflict((oc) => oc.columns(['event_id', 'queue']).doNothing())
          .returning('event_id')
          .execute();
        const fresh = new Set(rows.map((r) => String(r.event_id).toLowerCase()));
        const chosen = new Set<Waiting>();
        for (const w of batch) {
          // The first of an event delivered twice in this batch is the one applied.
          if (!fresh.delete(idOf(w))) continue;
          await context.with(w.ctx, () => w.apply(tx));
          chosen.add(w);
        }
        if (settle && chosen.size > 0) await settle(tx);
        return chosen;
      });
    } catch {
      // Apart, each in its own transaction: the event that failed the batch fails alone.
      for (const w of batch) await alone(w);
      return;
    }
    for (const w of batch) w.resolve(applied.has(w));
  }
}
