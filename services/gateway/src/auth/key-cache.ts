import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { Redis } from 'ioredis';
import { findApiKeyByPrefix, touchApiKey, type ApiKeyRow } from '../db/api-key.repository';
import type { GatewayDb } from '../db/schema';

/**
 * How long a key read from the database is trusted. A revocation reaches every replica through a
 * Redis notice at once; this is the bound when a notice is lost (Redis away while a key was
 * revoked): a revoked key is refused by every gateway within KEY_TTL_MS.
 */
export const KEY_TTL_MS = 30_000;
/** A key's last use is written at most this often (and the UPDATE itself skips a recent one). */
export const LAST_USE_EVERY_MS = 60_000;
const MAX_KEYS = 10_000;

interface Entry {
  row: ApiKeyRow;
  until: number;
}

/**
 * API keys by their public prefix, kept in this process for a short time so that authenticating
 * a request costs no query; emptied of a key when it is revoked (here at once, at the other
 * replicas through a Redis pub/sub notice, everywhere within KEY_TTL_MS).
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly lastWritten = new Map<string, number>();
  private generation = 0;
  private subscriber: Redis | undefined;

  constructor(
    private readonly options: {
      db: Db<GatewayDb>;
      logger: Logger;
      /** Where revocations are announced to the other replicas; none: this process only. */
      notices?: { redis: Redis; channel: string };
      now?: () => number;
    },
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** The key row with this prefix (revoked and expired ones too: the caller decides), or none. */
  async find(prefix: string): Promise<ApiKeyRow | undefined> {
    const hit = this.entries.get(prefix);
    if (hit && hit.until > this.now()) return hit.row;
    const generation = this.generation;
    const row = await findApiKeyByPrefix(this.options.db, prefix);
    // Unknown prefixes are not kept (a guessing client must not fill the memory); a read that
    // overlapped a revocation is answered but not kept.
    if (row && generation === this.generation) {
      if (this.entries.size >= MAX_KEYS) this.entries.clear();
      this.entries.set(prefix, { row, until: this.now() + KEY_TTL_MS });
    }
    return row;
  }

  /** Records a use of the key, writing it at most once every LAST_USE_EVERY_MS from this process. */
  used(row: ApiKeyRow): void {
    const now = this.now();
    const last = this.lastWritten.get(row.id);
    if (last !== undefined && now - last < LAST_USE_EVERY_MS) return;
    if (this.lastWritten.size >= MAX_KEYS) this.lastWritten.clear();
    this.lastWritten.set(row.id, now);
    touchApiKey(this.options.db, row.id).catch((err: unknown) => {
      this.options.logger.warn({ err: (err as Error).message }, 'last use of an API key not recorded');
    });
  }

  /** A key was revoked (or rotated away) here: forget it, and tell the other replicas. */
  revoked(prefix: string): void {
    this.forget(prefix);
    const notices = this.options.notices;
    if (notices && notices.redis.status === 'ready') {
      notices.redis.publish(notices.channel, prefix).catch((err: unknown) => {
        this.options.logger.warn({ err: (err as Error).message }, 'revocation notice not sent');
      });
    }
  }

  private forget(prefix: string): void {
    this.generation++;
    this.entries.delete(prefix);
  }

  /** Listens to the other replicas' revocations (never holding start-up while Redis is away). */
  listen(): void {
    const notices = this.options.notices;
    if (!notices) return;
    const subscriber = notices.redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on('error', () => undefined); // the main connection reports Redis errors
    subscriber.on('message', (_channel: string, prefix: string) => this.forget(prefix));
    // Notices sent while this connection was down are lost: forget every key on (re)connect.
    subscriber.on('ready', () => {
      this.generation++;
      this.entries.clear();
    });
    subscriber.subscribe(notices.channel).catch((err: unknown) => {
      this.options.logger.warn({ err: (err as Error).message }, 'revocation notices not heard');
    });
  }

  close(): void {
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }
}
