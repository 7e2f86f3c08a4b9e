import proxy from '@fastify/http-proxy';
import { IDENTITY_HEADER } from '@tthc/contracts';
import { sendProblem, withTraceHeaders, type ServiceApp } from '@tthc/service-kit';
import type { FastifyRequest } from 'fastify';
import { Pool } from 'undici';
import type { IdentitySigner } from '../auth/identity-signer';
import { routeTable, type UpstreamName } from './route-table';

declare module 'fastify' {
  interface FastifyRequest {
    identityToken?: string;
  }
}

/** Connections the gateway keeps open to each service (requests beyond them wait their turn). */
export const UPSTREAM_CONNECTIONS = 64;
/**
 * How long an idle connection to a service is kept: under the services' own keep-alive
 * timeout (Node's 72 s in Fastify), so the gateway, not the service, closes an idle one and
 * never sends a request on a connection the service is closing.
 */
const UPSTREAM_KEEP_ALIVE_MS = 30_000;

/**
 * Proxies each public prefix to the service that owns it, with the request id and a signed
 * identity, over one keep-alive connection pool per service (shared by its prefixes).
 */
export async function proxyRoutes(
  app: ServiceApp,
  options: { upstreams: Record<UpstreamName, string>; signer: IdentitySigner; timeoutMs: number },
): Promise<void> {
  const { signer } = options;
  const pools = new Map<UpstreamName, Pool>();
  const poolOf = (upstream: UpstreamName) => {
    let pool = pools.get(upstream);
    if (!pool) {
      pool = new Pool(options.upstreams[upstream], {
        connections: UPSTREAM_CONNECTIONS,
        pipelining: 1,
        keepAliveTimeout: UPSTREAM_KEEP_ALIVE_MS,
        keepAliveMaxTimeout: UPSTREAM_KEEP_ALIVE_MS,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
      pools.set(upstream, pool);
    }
    return pool;
  };
  app.addHook('onClose', async () => {
    await Promise.all([...pools.values()].map((p) => p.close()));
  });
  for (const { prefix, upstream } of routeTable) {
    await app.register(proxy, {
      upstream: options.upstreams[upstream],
      prefix,
      rewritePrefix: prefix,
      undici: poolOf(upstream),
      preHandler: async (request: FastifyRequest) => {
        request.identityToken = await signer.sign(request.caller);
      },
      replyOptions: {
        rewriteRequestHeaders: (request, headers) => {
          // reply-from hands over a copy of the client's headers: rewritten in place.
          // A client can never pass its own assertion: whatever it sent is replaced.
          // The service's span continues this request's trace (traceparent), whatever the
          // client sent.
          delete headers.traceparent;
          delete headers.tracestate;
          headers['x-request-id'] = String(request.id);
          headers[IDENTITY_HEADER] = request.identityToken ?? '';
          return withTraceHeaders(headers);
        },
        onError: (reply, { error }) => {
          const status = (error as { statusCode?: number }).statusCode === 504 ? 504 : 502;
          reply.request.log.warn({ upstream, err: error.message }, 'upstream unavailable');
          return sendProblem(reply.request, reply, {
            status,
            code: status === 504 ? 'upstream_timeout' : 'upstream_unavailable',
            title: 'Dịch vụ tạm thời không khả dụng',
            detail: `the ${upstream} service did not answer`,
          });
        },
      },
    });
  }
}
