import type { Db } from '@tthc/db';
import type { AgencyNames } from './agencies';
import type { Logger } from '@tthc/service-kit';
import type { Redis } from 'ioredis';
import type { CalendarProvider } from './calendar';
import type { ProcedureCache } from './commands/procedure-cache';
import type { ProcedureSource } from './commands/procedure-copy.command';
import type { SlipSettings } from './slips';
import type { Config } from './config';
import type { IntakeDb } from './db/schema';
import type { NationalSyncDeps } from './national-sync';
import type { NotificationDeps } from './notifications';

export interface AppDeps {
  config: Pick<Config, 'INTERNAL_AUTH_SECRET'>;
  logger: Logger;
  db: Db<IntakeDb>;
  redis: Redis;
  /** Key prefix for this service's Redis keys (rate limits). */
  queuePrefix: string;
  /** The one source of time (tests set it). */
  clock: () => Date;
  calendars: CalendarProvider;
  /** Asked for a procedure whose published copy has not arrived yet (the catalogue's jobs queue). */
  catalogue?: ProcedureSource;
  /** The copy of the catalogue held in the process (receipts read no procedure from the database). */
  procedures?: ProcedureCache;
  /** What the printed slips say of the issuing desk and the portal. */
  slips: SlipSettings;
  /** Agencies by name for what people read (slips, messages); codes print without it. */
  agencies?: AgencyNames;
  /** Citizen notifications and officer reminders (routes registered when present). */
  notifications?: NotificationDeps;
  /** The sync to the national portal; without it the operators' routes answer with the sync off. */
  nationalSync?: Pick<NationalSyncDeps, 'client' | 'config'>;
}
