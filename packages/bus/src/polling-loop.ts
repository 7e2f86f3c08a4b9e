import type { Logger } from 'pino';
import type { Signal } from './signal';

export interface PollingLoopOptions {
  name: string;
  logger: Logger;
  /** One round: claims a batch, hands it over, marks it; returns how many it handed over. */
  round: () => Promise<number>;
  /** A full batch means more is waiting: the loop goes again at once. */
  batchSize: number;
  /** Pause between rounds when there was less than a batch. */
  idleMs: number;
  /** Looks for work handed over but lost downstream, every `everyMs`; returns how many it took back. */
  sweep?: { everyMs: number; run: () => Promise<number> };
  /** Wakes the loop at once (a commit wrote work). */
  signal?: Signal;
}

/**
 * The claim / hand over / mark loop of a table that is its own outbox (the events outbox, the
 * notification messages): rounds run back to back while full batches come, then every idle
 * interval, at once when signalled; a sweep on its own period takes back what was lost
 * downstream. Any number of replicas run it: the round claims rows with FOR UPDATE SKIP LOCKED.
 */
export class PollingLoop {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** A signal that came while a round ran: the loop goes again instead of sleeping. */
  private signalled = false;
  private lastSweep = 0;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: PollingLoopOptions) {}

  /** One round, after a sweep when one is due (or asked for); returns how many were handed over. */
  async runOnce(sweep = false): Promise<number> {
    const s = this.options.sweep;
    if (s && (sweep || Date.now() - this.lastSweep >= s.everyMs)) {
      this.lastSweep = Date.now();
      const taken = await s.run();
      if (taken > 0)
        this.options.logger.warn(
          { loop: this.options.name, count: taken },
          'work lost downstream: handing it over again',
        );
    }
    return this.options.round();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.options.signal?.subscribe(() => this.nudge());
    this.loop = (async () => {
      while (this.running) {
        let handed = 0;
        this.signalled = false;
        try {
          handed = await this.runOnce();
        } catch (err) {
          this.options.logger.error(
            { loop: this.options.name, err: (err as Error).message },
            'round failed, will retry',
          );
        }
        if (handed < this.options.batchSize && this.running && !this.signalled) {
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, this.options.idleMs);
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

  /** Asks the loop to run now instead of waiting for the idle tick. */
  nudge(): void {
    this.signalled = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.wake?.();
    await this.loop;
  }
}
