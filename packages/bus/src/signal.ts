/**
 * A signal inside one process: writers say "there is work" after their commit, loops that do the
 * work listen and wake at once instead of waiting for their next tick. It only hurries work
 * along: every loop also polls, so a lost signal delays nothing for long.
 */
export class Signal {
  private readonly listeners = new Set<() => void>();

  notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Raised after a commit that wrote outbox events (emitEvent registers it on the transaction). */
export const outboxWritten = new Signal();
