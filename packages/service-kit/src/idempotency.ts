import { IdempotencyKeyReused, requestHash, runOnce, type Executor } from '@tthc/db';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { problems } from './problem';

/** The Idempotency-Key header a creating POST takes (8–100 characters, the caller's choice). */
export const IdempotencyKeyHeader = z.object({
  'idempotency-key': z.string().min(8).max(100).optional().meta({
    description:
      'retrying with the same key returns the first answer and creates nothing new; another request with it is refused (422)',
  }),
});

/**
 * Runs a creating request once per caller and Idempotency-Key (draft-ietf-httpapi-idempotency-key):
 * without the header, it simply runs; with it, a retry gets the stored first answer, and the
 * same key with a different body a 422 naming the header. `create` runs in the transaction that
 * stores the answer, so what it writes and the answer commit together.
 */
export async function idempotent<T>(
  request: FastifyRequest,
  db: Executor<any>,
  resource: string,
  create: (tx: Executor<any>) => Promise<{ status: number; body: T }>,
): Promise<{ status: number; body: T }> {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || key === '') return create(db);
  const scope = idempotencyScope(request, resource);
  try {
    return await runOnce(db, { scope, key, hash: requestHash(request.body) }, create);
  } catch (err) {
    throw idempotencyProblem(err);
  }
}

/** Whose keys a request's key is among: one caller's requests to one resource. */
export function idempotencyScope(request: FastifyRequest, resource: string): string {
  return `${resource}:${request.identity?.sub ?? 'anonymous'}`;
}

/** The answer to a key reused with another request (422 naming the header); other errors as they are. */
export function idempotencyProblem(err: unknown): unknown {
  if (err instanceof IdempotencyKeyReused) {
    return problems.unprocessable(
      'idempotency_key_reused',
      'this Idempotency-Key was used with a different request',
      [{ in: 'headers', pointer: '/idempotency-key', detail: 'reused with another body' }],
    );
  }
  return err;
}
