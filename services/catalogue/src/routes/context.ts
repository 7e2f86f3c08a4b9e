import type { FastifyRequest } from 'fastify';
import type { CommandContext } from '../commands/procedure.command';
import type { AppDeps } from '../deps';

/** Who acts and when, for the commands a request runs. */
export function commandContext(deps: AppDeps, request: FastifyRequest): CommandContext {
  return {
    db: deps.db,
    actor: request.identity?.sub ?? 'unknown',
    requestId: String(request.id),
    clock: deps.clock,
  };
}
