import { randomUUID } from 'node:crypto';
import type { Logger } from '@tthc/service-kit';
import type { Redis } from 'ioredis';

/** What clients and shared caches are told: keep a copy, but ask again each time (a 304 is cheap). */
export const CACHE_CONTROL = 'public, no-cache';
/** The longest an entry lives even if a change notice from another replica was lost. */
export const MAX_AGE_MS = 60_000;
const MAX_ENTRIES = 2_000;

export interface CachedRead {
  /** The answer as sent (JSON text). */
  body: string;
  etag: string;
}

interface Entry extends CachedRead {
  until: number;
}

/**
 * The catalogue's published reads (a procedure, a page of the list) kept in this process, serialized
 * once with their ETag. Every change to the catalogue empties it: this process's own writes at
 * once (before their answer leaves), the other replicas' through a Redis pub/sub notice. A notice
 * missed while Redis was away is covered by emptying on reconnect and by MAX_AGE_MS.
 */
export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;
  private readonly instance = randomUUID();
  private subscriber: Redis | undefined;

  constructor(
    private readonly options: {
      logger: Logger;
      /** Where changes are announced to the other replicas; none: this process only. */
      notices?: { redis: Redis; channel: string };
      now?: () => number;
    },
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  get(key: string): CachedRead | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.until <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return hit;
  }

  /**
   * Reads through the cache. A load that overlapped a change is answered but not kept: it may
   * have read the catalogue as it stood before the change.
   */
  async read(key: string, load: () => Promise<CachedRead>): Promise<CachedRead> {
    const hit = this.get(key);
    if (hit) return hit;
    const generation = this.generation;
    const fresh = await load();
    if (generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
      this.entries.set(key, { ...fresh, until: this.now() + MAX_AGE_MS });
    }
    return fresh;
  }

  /** Empties this process's cache. */
  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  /** A change was committed here: empty the cache and tell the other replicas. */
  changed(): void {
    this.clear();
    const notices = this.options.notices;
    // A client that is not connected would queue the notice; the others' reconnect clears them.
    if (notices && notices.redis.status === 'ready') {
      notices.redis.publish(notices.channel, this.instance).catch((err: unknown) => {
        this.options.logger.warn({ err: (err as Error).message }, 'catalogue change notice not sent');
      });
    }
  }

  /** Listens to the other replicas' change notices (and never holds start-up while Redis is away). */
  listen(): void {
    const notices = this.options.notices;
    if (!notices) return;
    const subscriber = notices.redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on('error', () => undefined); // the main connection reports Redis errors
    subscriber.on('message', (_channel: string, from: string) => {
      if (from !== this.instance) this.clear();
    });
    // Notices sent while this connection was down are lost: start afresh on every (re)connect.
    subscriber.on('ready', () => this.clear());
    subscriber.subscribe(notices.channel).catch((err: unknown) => {
      this.options.logger.warn({ err: (err as Error).message }, 'catalogue change notices not heard');
    });
  }

  close(): void {
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }
}
