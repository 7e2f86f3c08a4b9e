import type { AgencyDirectoryEntry } from '@tthc/contracts';

/**
 * Agencies by name, for what a person reads (slips, messages); codes stay where a machine reads.
 * The catalogue owns the directory; intake asks for it over the catalogue's jobs queue and keeps
 * it for a while. When the catalogue cannot answer, a code stands in for its name: a slip is
 * never refused for want of a name.
 */
export interface AgencyNames {
  /** The agency's name, or its code when the directory does not know it. */
  nameOf(code: string): Promise<string>;
}

/** No directory (intake alone, as in its own tests): agencies print as their codes. */
export const AGENCY_CODES_ONLY: AgencyNames = { nameOf: async (code) => code };

export interface AgencyDirectoryOptions {
  /** Asks the catalogue for the directory. */
  fetch: () => Promise<{ agencies: AgencyDirectoryEntry[] }>;
  clock?: () => number;
  /** How long a directory is used before it is asked for again (default 10 minutes). */
  ttlMs?: number;
  /** After a failed ask, how long the codes stand in before asking again (default 30 s). */
  retryMs?: number;
  /** A code the directory lacks (an agency created since) asks again, at most this often (default 5 s). */
  missRetryMs?: number;
  onError?: (err: unknown) => void;
}

export class AgencyDirectory implements AgencyNames {
  private names = new Map<string, string>();
  private freshUntil = 0;
  private askedAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<void> | undefined;

  constructor(private readonly options: AgencyDirectoryOptions) {}

  async nameOf(code: string): Promise<string> {
    await this.refreshIfStale();
    const name = this.names.get(code);
    if (name !== undefined) return name;
    if (this.now() - this.askedAt >= (this.options.missRetryMs ?? 5_000)) {
      this.invalidate();
      await this.refreshIfStale();
    }
    return this.names.get(code) ?? code;
  }

  /** Forgets the directory, so that the next lookup asks again (an agency renamed). */
  invalidate(): void {
    this.freshUntil = 0;
  }

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }

  private refreshIfStale(): Promise<void> {
    if (this.now() < this.freshUntil) return Promise.resolve();
    // One ask at a time, whoever is waiting for it.
    this.pending ??= this.refresh().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async refresh(): Promise<void> {
    this.askedAt = this.now();
    try {
      const { agencies } = await this.options.fetch();
      this.names = new Map(agencies.map((a) => [a.code, a.name.normalize('NFC')]));
      this.freshUntil = this.now() + (this.options.ttlMs ?? 10 * 60_000);
    } catch (err) {
      this.options.onError?.(err);
      this.freshUntil = this.now() + (this.options.retryMs ?? 30_000);
    }
  }
}
