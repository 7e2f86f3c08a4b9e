import type { Executor } from '@tthc/db';
import type { IntakeDb } from '../db/schema';
import type { CalendarProvider } from './calendar-provider';
import type { ProcedureSource } from './procedure-copy.command';

export interface Actor {
  sub: string;
  role: string | null;
  agencyCode: string | null;
  /** The agencies whose dossiers the actor may act on (null: all). */
  scope: string[] | null;
}

export interface IntakeContext {
  db: Executor<IntakeDb>;
  clock: () => Date;
  actor: Actor;
  requestId: string | null;
  calendars: CalendarProvider;
  /** Asked for a procedure the copy lacks (absent in tests of the intake alone). */
  catalogue?: ProcedureSource | undefined;
}
