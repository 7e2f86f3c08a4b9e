import { createHash } from 'node:crypto';
import {
  claimKey,
  IdempotencyKeyReused,
  releaseKey,
  requestHash,
  runOnce,
  storeAnswer,
  type Executor,
} from '@tthc/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
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

declare module 'fastify' {
  interface FastifyRequest {
    /** The Idempotency-Key this request holds while it runs (installIdempotency). */
    idempotencyClaim: { scope: string; key: string } | null;
  }
}

/** What makes two requests the same: the path parameters, the query and the body's bytes. */
export function requestFingerprint(request: Pick<FastifyRequest, 'params' | 'query' | 'body'>): string {
  const hash = createHash('sha256').update(JSON.stringify([request.params ?? null, request.query ?? null]));
  const body = request.body;
  if (Buffer.isBuffer(body)) hash.update(body);
  else if (typeof body === 'string') hash.update(body);
  else hash.update(JSON.stringify(body ?? null));
  return hash.digest('hex');
}

/** The answer headers a replay repeats. */
const REPLAYED_HEADERS = ['location', 'etag', 'content-type'];

/**
 * Idempotency-Key for every creating POST that declares `'x-idempotent': true` in its schema
 * (draft-ietf-httpapi-idempotency-key, with the semantics of the dossier intake): per caller and
 * operation, the first request with a key runs and its 2xx answer is stored (status, body,
 * Location and ETag); a retry with the same request gets that answer back (Idempotent-Replayed:
 * true) and creates nothing; the key with another request is refused (422); a retry while the
 * first still runs gets 409. A failed request (4xx, 5xx) gives its key back. Where the creation
 * can run in the transaction that stores the answer, the route uses `idempotent()` instead
 * (the dossier filing): the same table, scope and answers.
 */
export function installIdempotency(app: FastifyInstance, db: Executor<any> | undefined): void {
  app.decorateRequest('idempotencyClaim', null);
  app.addHook('onRoute', (route) => {
    if ((route.schema as { 'x-idempotent'?: boolean } | undefined)?.['x-idempotent'] && !db) {
      throw new Error(
        `${route.method} ${route.url} declares x-idempotent but the service has no idempotency store`,
      );
    }
  });
  if (!db) return;

  app.addHook('preHandler', async (request, reply) => {
    const schema = request.routeOptions.schema as { 'x-idempotent'?: boolean } | undefined;
    const key = request.headers['idempotency-key'];
    if (!schema?.['x-idempotent'] || key === undefined) return;
    if (typeof key !== 'string' || key.length < 8 || key.length > 100) {
      throw problems.badRequest('validation_failed', 'headers/idempotency-key: 8 to 100 characters', [
        { in: 'headers', pointer: '/idempotency-key', detail: '8 to 100 characters' },
      ]);
    }
    const claim = { scope: idempotencyScope(request, `${request.method} ${request.routeOptions.url}`), key };
    const found = await claimKey(db, { ...claim, hash: requestFingerprint(request) });
    switch (found.kind) {
      case 'claimed':
        request.idempotencyClaim = claim;
        return;
      case 'replay':
        for (const [name, value] of Object.entries(found.headers)) reply.header(name, value);
        return reply.header('idempotent-replayed', 'true').status(found.status).send(found.body);
      case 'reused':
        throw idempotencyProblem(new IdempotencyKeyReused(key));
      case 'in_progress':
        throw problems.conflict(
          'idempotency_key_in_use',
          'a request with this Idempotency-Key is still being processed; retry in a moment',
        );
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotencyClaim;
    if (!claim) return payload;
    request.idempotencyClaim = null;
    if (reply.statusCode < 200 || reply.statusCode >= 300 || typeof payload !== 'string') {
      await releaseKey(db, claim);
      return payload;
    }
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    const json = String(headers['content-type'] ?? '').includes('json');
    await storeAnswer(db, claim, {
      status: reply.statusCode,
      body: json ? (JSON.parse(payload) as unknown) : payload,
      headers,
    });
    return payload;
  });
}
