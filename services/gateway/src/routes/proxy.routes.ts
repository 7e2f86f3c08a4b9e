import proxy from '@fastify/http-proxy';
import { IDENTITY_HEADER } from '@tthc/contracts';
import { sendProblem, type ServiceApp } from '@tthc/service-kit';
import type { FastifyRequest } from 'fastify';
import type { IdentitySigner } from './identity';
import { routeTable, type UpstreamName } from './route-table';

declare module 'fastify' {
  interface FastifyRequest {
    identityToken?: string;
  }
}

/** Proxies each public prefix to the service that owns it, with the request id and a signed identity. */
export async function proxyRoutes(
  app: ServiceApp,
  options: { upstreams: Record<UpstreamName, string>; signer: IdentitySigner; timeoutMs: number },
): Promise<void> {
  const { signer } = options;
  for (const { prefix, upstream } of routeTable) {
    await app.register(proxy, {
      upstream: options.upstreams[upstream],
      prefix,
      rewritePrefix: prefix,
      undici: { headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs },
      preHandler: async (request: FastifyRequest) => {
        request.identityToken = await signer.sign(request.caller);
      },
      replyOptions: {
        rewriteRequestHeaders: (request, headers) => {
          // A client can never pass its own assertion: whatever it sent is replaced.
          const { [IDENTITY_HEADER]: _dropped, ...rest } = headers;
          return {
            ...rest,
            'x-request-id': String(request.id),
            [IDENTITY_HEADER]: request.identityToken ?? '',
          };
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
