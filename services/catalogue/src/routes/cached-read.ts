import type { ResponseHeaders } from '@tthc/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CACHE_CONTROL, type CachedRead, type ReadCache } from '../cache/read-cache';

const ETAG = {
  description: 'Version of this answer; send it back in If-None-Match to get a 304 while it holds',
  schema: { type: 'string' as const, example: '"3"' },
};
const CACHE = {
  description: 'Shared caches may keep the answer but must revalidate it (If-None-Match) each time',
  schema: { type: 'string' as const, example: CACHE_CONTROL },
};

/** The request header of a conditional read. */
export const ConditionalReadHeaders = z.object({
  'if-none-match': z
    .string()
    .max(1000)
    .optional()
    .meta({ description: 'ETags of the copies the client holds: 304 when one is current' }),
});

/** The headers of a cacheable read, for the route's OpenAPI declaration. */
export const cachedReadHeaders: ResponseHeaders = {
  200: { ETag: ETAG, 'Cache-Control': CACHE },
  304: { ETag: ETAG, 'Cache-Control': CACHE },
};

/** If-None-Match holds the ETag (weak comparison, as RFC 9110 asks for GET), or is `*`. */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
}

/**
 * Answers a read from the cache (loading it on a miss): 304 when the client's copy is current,
 * else the serialized answer, both with ETag and Cache-Control.
 */
export async function sendCached(
  request: FastifyRequest,
  reply: FastifyReply<any, any, any, any, any, any, any, any>,
  cache: ReadCache,
  key: string,
  load: () => Promise<CachedRead>,
) {
  const entry = await cache.read(key, load);
  reply.header('etag', entry.etag).header('cache-control', CACHE_CONTROL);
  if (noneMatch(request.headers['if-none-match'], entry.etag)) return reply.status(304).send();
  // Already serialized through the route's response schema when it was loaded.
  return reply.type('application/json; charset=utf-8').send(entry.body);
}
