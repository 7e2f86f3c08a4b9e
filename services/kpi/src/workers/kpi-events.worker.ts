import { startConsumer, type BusConnection } from '@tthc/bus';
import { queues } from '@tthc/contracts';
import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { Worker } from 'bullmq';
import type { KpiDb } from '../db/schema';
import { kpiEventHandlers } from '../facts/handlers';

/**
 * Turns events into facts and rollups; each event is applied once (inbox), in its own
 * transaction. What cannot be applied is parked with the reason (dead_letters), never stopping
 * the consumer.
 */
export function startKpiEventsWorker(deps: { db: Db<KpiDb>; bus: BusConnection; logger: Logger }): Worker {
  return startConsumer({
    queue: queues.kpiEvents,
    db: deps.db,
    bus: deps.bus,
    logger: deps.logger,
    handlers: kpiEventHandlers,
    parkDeadLetters: true,
  });
}
