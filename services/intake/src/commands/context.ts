import type { Executor } from '@tthc/db';
import type { FastifyRequest } from 'fastify';
import type { CalendarProvider } from '../calendar';
import type { IntakeDb } from '../db/schema';
import type { ProcedureCache } from './procedure-cache';
import type { ProcedureSource } from './procedure-copy.command';

export interface Actor {
  sub: string;
  role: string | null;
  agencyCode: string | null;
  /** The agencies whose dossiers the actor may act on (null: all). */
  scope: string[] | null;
}

/** What a command runs with: the database, the time, who acts, and the shared caches. */
export interface IntakeContext {
  db: Executor<IntakeDb>;
  clock: () => Date;
  actor: Actor;
  requestId: string | null;
  calendars: CalendarProvider;
  /** Asked for a procedure the copy lacks (absent in tests of the intake alone). */
  catalogue?: ProcedureSource | undefined;
  /** The copy of the catalogue held in the process (absent: every receipt reads it). */
  procedures?: ProcedureCache | undefined;
}

/** What a request's commands are built from: the parts of the app's dependencies every wing's routes need. */
export interface ContextDeps {
  db: Executor<IntakeDb>;
  clock: () => Date;
  calendars: CalendarProvider;
  catalogue?: ProcedureSource | undefined;
  procedures?: ProcedureCache | undefined;
}

/** The context of a request's commands: who acts (from the gateway's assertion), when, on what. */
export function intakeContext(deps: ContextDeps, request: FastifyRequest): IntakeContext {
  const id = request.identity;
  return {
    db: deps.db,
    clock: deps.clock,
    // One snapshot of the calendar and the rule sets serves the whole request.
    calendars: deps.calendars.forRequest(),
    catalogue: deps.catalogue,
    procedures: deps.procedures,
    requestId: String(request.id),
    actor: {
      sub: id?.sub ?? 'unknown',
      role: id?.roles[0] ?? null,
      agencyCode: id?.agencyCode ?? null,
      scope: id?.agencyScope ?? null,
    },
  };
}
