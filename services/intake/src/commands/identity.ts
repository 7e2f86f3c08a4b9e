import type { FastifyRequest } from 'fastify';
import type { CalendarProvider } from './calendar-provider';
import type { ProcedureSource } from './procedure-copy.command';
import type { IntakeContext } from './context';
import type { Executor } from '@tthc/db';
import type { IntakeDb } from '../db/schema';

/** The context of a request's commands: who acts (from the gateway's assertion), when, on what. */
export function intakeContext(
  deps: { db: Executor<IntakeDb>; clock: () => Date; calendars: CalendarProvider; catalogue?: ProcedureSource | undefined },
  request: FastifyRequest,
): IntakeContext {
  const id = request.identity;
  return {
    db: deps.db,
    clock: deps.clock,
    calendars: deps.calendars,
    catalogue: deps.catalogue,
    requestId: String(request.id),
    actor: { sub: id?.sub ?? 'unknown', role: id?.roles[0] ?? null, agencyCode: id?.agencyCode ?? null, scope: id?.agencyScope ?? null },
  };
}
