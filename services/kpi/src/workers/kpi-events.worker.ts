import {
  applyOnce,
  appliedOrDuplicate,
  consumeEventsJob,
  watchEventsWorker,
  type BusConnection,
  type EventHandler,
} from '@tthc/bus';
import { eventsRoutedTo, queues, type EventType, type TypedEvent } from '@tthc/contracts';
import { withTransaction, type Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import { Worker, type Job } from 'bullmq';
import type { KpiDb } from '../db/schema';
import { takeDossierEventsFrom } from '../facts/dossier.projector';
import { kpiEventHandlers } from '../facts/handlers';
import type { DossierEvent } from '../domain/timeline';

const QUEUE = queues.kpiEvents;

export interface KpiEventsWorkerOptions {
  /** Jobs taken at once (each of up to a hundred events): what the writers gather their batches from. */
  concurrency?: number;
  /** The most dossier events written in one transaction. */
  maxBatch?: number;
  /** Batches written at the same time (each its own transaction and connection). */
  writers?: number;
  /** How long a writer waits for more events before writing less than a full batch. */
  lingerMs?: number;
}

type Outcome = { applied: boolean };
interface Pending {
  event: DossierEvent;
  resolve: (o: Outcome) => void;
  reject: (err: unknown) => void;
}

const isDossierEvent = (e: TypedEvent<EventType>): e is DossierEvent => e.type.startsWith('dossier.');

/**
 * Gathers the dossier events the worker has taken while a batch is being written, and writes them
 * as the next batch: one transaction for the event log (which applies each event once: its key is
 * the event's id) and each dossier touched folded once (facts/dossier.projector.ts). A batch that
 * fails is applied again one event per transaction, so one bad event fails alone.
 */
class DossierBatches {
  /** One queue per writer; a dossier's events always go to the same writer (no lock waits between them). */
  private readonly pending: Pending[][];
  private readonly writing: boolean[];

  constructor(
    private readonly db: Db<KpiDb>,
    private readonly logger: Logger,
    private readonly options: Required<Omit<KpiEventsWorkerOptions, 'concurrency'>>,
  ) {
    this.pending = Array.from({ length: options.writers }, () => []);
    this.writing = Array.from({ length: options.writers }, () => false);
  }

  submit(event: DossierEvent): Promise<Outcome> {
    const w = writerOf(event.payload.dossierId, this.options.writers);
    return new Promise<Outcome>((resolve, reject) => {
      this.pending[w]?.push({ event, resolve, reject });
      if (!this.writing[w]) void this.drain(w);
    });
  }

  /** One writer: takes what has gathered (after a short wait for more), writes it, and again. */
  private async drain(w: number): Promise<void> {
    const queue = this.pending[w] as Pending[];
    this.writing[w] = true;
    try {
      while (queue.length > 0) {
        if (queue.length < this.options.maxBatch)
          await new Promise((r) => setTimeout(r, this.options.lingerMs));
        await this.write(queue.splice(0, this.options.maxBatch));
      }
    } finally {
      this.writing[w] = false;
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    let fresh: Set<string>;
    try {
      fresh = await withTransaction(this.db, (tx) =>
        takeDossierEventsFrom(
          tx,
          batch.map((p) => ({ event: p.event, schemaVersion: p.event.schemaVersion })),
        ),
      );
    } catch (err) {
      this.logger.warn(
        { err, events: batch.length },
        'a batch of dossier events failed: applying them one by one',
      );
      for (const p of batch) {
        try {
          p.resolve({ applied: await applyDossierEventAlone(this.db, p.event) });
        } catch (e) {
          p.reject(e);
        }
      }
      return;
    }
    // An event twice in one batch (a redelivery): applied once, a duplicate the other time.
    for (const p of batch) p.resolve({ applied: fresh.delete(p.event.id) });
  }
}

function writerOf(dossierId: string, writers: number): number {
  let h = 0;
  for (let i = 0; i < dossierId.length; i++) h = (h * 31 + dossierId.charCodeAt(i)) | 0;
  return Math.abs(h) % writers;
}

/** One dossier event in a transaction of its own, applied once by the event log as in a batch. */
async function applyDossierEventAlone(db: Db<KpiDb>, event: DossierEvent): Promise<boolean> {
  const fresh = await withTransaction(db, (tx) =>
    takeDossierEventsFrom(tx, [{ event, schemaVersion: event.schemaVersion }]),
  );
  return fresh.has(event.id);
}

async function applyAlone(db: Db<KpiDb>, event: TypedEvent<EventType>): Promise<boolean> {
  const handler = kpiEventHandlers[event.type as keyof typeof kpiEventHandlers] as
    EventHandler<EventType> | undefined;
  if (!handler) throw new Error(`no handler for ${event.type} on ${QUEUE}`);
  return applyOnce(db, QUEUE, event, (tx) => handler(event, tx));
}

/**
 * Turns events into facts and rollups; each event is applied once (dossier events by the event
 * log, the others by the inbox). Dossier events are written in batches (DossierBatches: many
 * events per transaction, each dossier folded once), the others one per transaction. What cannot be applied is parked with the reason (dead_letters),
 * never stopping the consumer. Refuses to start when an event routed to the queue has no handler.
 */
export function startKpiEventsWorker(
  deps: { db: Db<KpiDb>; bus: BusConnection; logger: Logger },
  options: KpiEventsWorkerOptions = {},
): Worker {
  const missing = eventsRoutedTo(QUEUE).filter((t) => !kpiEventHandlers[t as keyof typeof kpiEventHandlers]);
  if (missing.length > 0) throw new Error(`consumer of ${QUEUE} has no handler for: ${missing.join(', ')}`);
  const batches = new DossierBatches(deps.db, deps.logger, {
    maxBatch: options.maxBatch ?? 500,
    writers: options.writers ?? 3,
    lingerMs: options.lingerMs ?? 5,
  });
  const worker = new Worker(
    QUEUE,
    (job: Job) =>
      consumeEventsJob(job, {
        queue: QUEUE,
        db: deps.db,
        logger: deps.logger,
        parkDeadLetters: true,
        // A job's dossier events join the writers' batches together; the others apply one by one.
        together: true,
        apply: async (event) =>
          appliedOrDuplicate(
            isDossierEvent(event) ? (await batches.submit(event)).applied : await applyAlone(deps.db, event),
          ),
      }),
    { connection: deps.bus.redis, prefix: deps.bus.prefix, concurrency: options.concurrency ?? 50 },
  );
  watchEventsWorker(worker, { queue: QUEUE, db: deps.db, logger: deps.logger, parkDeadLetters: true });
  return worker;
}
