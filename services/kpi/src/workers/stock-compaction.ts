import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import { compactStockDeltas } from '../db/stock.repository';
import type { KpiDb } from '../db/schema';

export interface StockCompactionOptions {
  /** How often the appended stock changes are folded (each key back to one row). */
  intervalMs?: number;
  /** Keys folded in one statement (one transaction); a run goes on while statements fill up. */
  maxKeys?: number;
}

/** A run stops after this many full statements and leaves the rest to the next. */
const MAX_STATEMENTS_A_RUN = 50;

/**
 * Folds the stock changes the dossiers' trigger appends (migration 202612070101) every few
 * seconds, so that the figures' sums read a handful of rows per key. Every replica may run it:
 * two runs at once fold each row once. A failed run is logged and tried again at the next tick.
 */
export function startStockCompaction(
  deps: { db: Db<KpiDb>; logger: Logger },
  options: StockCompactionOptions = {},
): { close: () => Promise<void> } {
  const intervalMs = options.intervalMs ?? 5_000;
  const maxKeys = options.maxKeys ?? 2_000;
  let closed = false;
  let running: Promise<void> | null = null;
  const run = async () => {
    try {
      for (let i = 0; i < MAX_STATEMENTS_A_RUN && !closed; i++)
        if ((await compactStockDeltas(deps.db, maxKeys)) < maxKeys) break;
    } catch (err) {
      deps.logger.warn({ err }, 'could not fold the stock changes: trying again at the next tick');
    }
  };
  // A tick while a run goes on is skipped: runs never queue up behind a slow one.
  const timer = setInterval(() => {
    running ??= run().finally(() => {
      running = null;
    });
  }, intervalMs);
  return {
    close: async () => {
      closed = true;
      clearInterval(timer);
      await running;
    },
  };
}
