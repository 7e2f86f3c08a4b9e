import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { Redis } from 'ioredis';
import type { ReadCache } from './cache/read-cache';
import type { Config } from './config';
import type { CatalogueDb } from './db/schema';

export interface AppDeps {
  config: Pick<Config, 'INTERNAL_AUTH_SECRET'>;
  logger: Logger;
  db: Db<CatalogueDb>;
  redis: Redis;
  /** The one source of time (tests set it). */
  clock: () => Date;
  /** Working days after one civil date up to and including another (the working-day calendar). */
  workingDaysBetween: (from: string, to: string) => number;
  /** Called after a commit that wrote outbox events, so the relay sends them now. */
  onEventsWritten: () => void;
  /**
   * Published reads kept in this process, emptied by every change (see ReadCache); main.ts gives
   * one that tells the other replicas. Without one, the app keeps a cache of this process only.
   */
  readCache?: ReadCache;
  /** The national catalogue pull (main.ts gives it when NATIONAL_CATALOGUE_URL is set). */
  nationalPull?: { requestPull: (requestedBy: string) => Promise<{ jobId: string } | null> };
}
