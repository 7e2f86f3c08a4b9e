import { Signal, type BusConnection } from '@tthc/bus';
import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { IntakeDb } from '../db/schema';
import type { NationalClient } from './client/national-client';
import type { NationalSyncConfig } from './national-sync.config';

/** What the national sync needs from the intake process. */
export interface NationalSyncDeps {
  db: Db<IntakeDb>;
  bus: BusConnection;
  logger: Logger;
  /** The one source of time (tests set it). */
  clock: () => Date;
  config: NationalSyncConfig;
  /** The national endpoints; absent when the sync is off (NATIONAL_SYNC_URL unset). */
  client: NationalClient | null;
}

/** Raised after a commit that queued pushes: the pusher goes at once instead of at its next tick. */
export const pushesQueued = new Signal();
