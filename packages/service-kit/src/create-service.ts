import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import { IDENTITY_HEADER, type Identity } from '@tthc/contracts';
import Fastify, {
  type FastifyInstance,
  type FastifyRequest,
  type RawServerDefault,
  type FastifyBaseLogger,
} from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { Gauge, type Registry } from 'prom-client';
import { z } from 'zod';
import type { Executor } from '@tthc/db';
import { ADMIN_ACCESS, requireFilterWithinScope, rolesAllow, type RouteAccess } from './access';
import { installErrorHandling, sendProblem } from './errors';
import { installIdempotency } from './idempotency';
import { verifyIdentity } from './identity';
import type { Logger } from './logger';
import { installMetrics } from './metrics';
import { finishDocument, locationOf, type RequestBodies, type ResponseHeaders } from './openapi-document';
import { PROBLEM_CONTENT_TYPE, ProblemDetails, problems } from './problem';
import { problemCodeForStatus, problemTypeFor } from './problem-types';
import { requestTracing } from './tracing';

export type ServiceApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

declare module 'fastify' {
  interface FastifySchema {
    /**
     * Response headers to declare in the OpenAPI document (ETag, Cache-Control, Retry-After...);
     * a status not among the response schemas (a 304) is declared without a body.
     */
    'x-response-headers'?: ResponseHeaders;
    /** A body the route reads itself (a file; JSON or CSV), declared per media type. */
    'x-request-body'?: RequestBodies;
    /**
     * Where a 201 or 202 answer's resource lives, e.g. `/v1/dossiers/{code}`: each `{name}` is
     * taken from the answer's field or else the path parameter of that name. Sent as Location
     * (unless the route set one) and declared in the document.
     */
    'x-location'?: string;
    /**
     * A creating POST that takes an Idempotency-Key: a retry gets the first answer and creates
     * nothing (installIdempotency); declared in the document.
     */
    'x-idempotent'?: boolean;
    /**
     * Who may call the route (roles, agency scope, personal data): the one declaration the
     * document, the gateway, this service and the README's table all take it from. A route
     * without one is for administrators only.
     */
    'x-access'?: RouteAccess;
  }
  interface FastifyRequest {
    /** The caller, as the gateway's signed assertion names it (null on operational routes). */
    identity: Identity | null;
  }
  interface FastifyInstance {
    lifecycle: { shuttingDown: boolean };
    metricsRegistry: Registry;
  }
}

export interface ServiceOptions {
  name: string;
  version?: string;
  description?: string;
  logger: Logger;
  /**
   * Secret of the gateway's identity assertions. Every route outside the operational ones
   * refuses a request without a valid assertion. Null only for the gateway itself.
   */
  internalAuthSecret: string | null;
  /** Readiness checks by dependency name (postgres, redis...): each throws when it is down. */
  readiness?: Record<string, () => Promise<unknown>>;
  tags?: { name: string; description: string }[];
  bodyLimit?: number;
  /** Routes that take no identity assertion (gateway-only concerns such as /docs). */
  publicPrefixes?: string[];
  /** Serve this app's own spec at /openapi.json (the gateway serves the merged one instead). */
  openapiRoute?: boolean;
  /** Longest time a request may take from connection to answer (0: no limit). */
  requestTimeoutMs?: number;
  /**
   * Proxies (addresses or CIDR ranges) whose X-Forwarded-For names the client: the gateway's
   * TRUSTED_PROXIES. None by default: the address is the connection's.
   */
  trustedProxies?: string[];
  /** Where creating POSTs store their answers by Idempotency-Key (routes declare `x-idempotent`). */
  idempotencyDb?: Executor<any>;
  /** The outbox backlog, shown on /ready and exported as metrics (services that emit events). */
  outboxBacklog?: () => Promise<{ pending: number; oldestAgeSeconds: number }>;
}

const OPERATIONAL = new Set(['/health', '/ready', '/metrics', '/openapi.json']);
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const READY_TIMEOUT_MS = 2000;

export const HealthResponse = z.object({ status: z.literal('ok'), service: z.string() });

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/**
 * The Fastify app every process of the suite is built on: zod validation and serialization,
 * OpenAPI from the zod schemas, problem+json errors, request ids, identity check, health,
 * readiness and metrics. It never listens; main.ts does (see runService).
 */
export async function createService(options: ServiceOptions): Promise<ServiceApp> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    ...(options.trustedProxies?.length ? { trustProxy: options.trustedProxies } : {}),
    requestTimeout: options.requestTimeoutMs ?? 0,
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    ajv: { customOptions: { coerceTypes: false } },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // A request Node's parser refuses (a header or URL over its limits) still gets problem+json.
    clientErrorHandler: (err: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) return;
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'HPE_URI_TOO_LONG' ? 414 : 400;
      const body = JSON.stringify({
        type: problemTypeFor('malformed_request'),
        title: 'Yêu cầu không hợp lệ',
        status,
        code: 'malformed_request',
        detail:
          status === 431
            ? 'the request headers are too large'
            : status === 414
              ? 'the URL is too long'
              : 'the request could not be read',
      });
      socket.end(
        `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 414 ? 'URI Too Long' : 'Bad Request'}\r\n` +
          `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
    // Errors the router raises before any route (a malformed URL, an over-long parameter) leave
    // as problem+json too.
    frameworkErrors: (error, request, reply) => {
      const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
      void sendProblem(request, reply, {
        status,
        code: (error.code ?? 'bad_request').replace(/^FST_ERR_/, '').toLowerCase(),
        type: problemTypeFor(problemCodeForStatus(status)),
        title: 'Yêu cầu không hợp lệ',
        detail: error.message.length > 300 ? `${error.message.slice(0, 300)}…` : error.message,
      });
    },
  }).withTypeProvider<ZodTypeProvider>();

  // First, so a request refused by any later hook is traced too.
  const tracing = requestTracing(options.name);
  if (tracing) await app.register(tracing);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('lifecycle', { shuttingDown: false });
  app.decorateRequest('identity', null);
  installErrorHandling(app);
  installIdempotency(app, options.idempotencyDb);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('preSerialization', async (request, reply, payload) => {
    const template = (request.routeOptions.schema as { 'x-location'?: string } | undefined)?.['x-location'];
    if (template && (reply.statusCode === 201 || reply.statusCode === 202) && !reply.hasHeader('location')) {
      const location = locationOf(template, payload, request.params);
      if (location) reply.header('location', location);
    }
    return payload;
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: options.name,
        version: options.version ?? '0.1.0',
        ...(options.description ? { description: options.description } : {}),
      },
      tags: options.tags ?? [],
      components: { schemas: {} },
    },
    transform: (input) => {
      const out = jsonSchemaTransform(input);
      // zod leaves a schema's examples and description out of its input form (what a request
      // body is declared as) when a member transforms its value (NFC text): put them back.
      const body = (input.schema as { body?: unknown } | undefined)?.body;
      const meta = body instanceof z.ZodType ? z.globalRegistry.get(body) : undefined;
      const declared = (out.schema as { body?: Record<string, unknown> } | undefined)?.body;
      if (meta && declared && !('$ref' in declared)) {
        for (const key of ['examples', 'example', 'description'] as const) {
          if (meta[key] !== undefined && declared[key] === undefined) declared[key] = meta[key];
        }
      }
      return out;
    },
    transformObject: (documentObject) => finishDocument(jsonSchemaTransformObject(documentObject)),
  });

  const secret = options.internalAuthSecret;
  const publicPrefixes = options.publicPrefixes ?? [];
  if (secret) {
    app.addHook('onRequest', async (request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      if (OPERATIONAL.has(path) || publicPrefixes.some((p) => path.startsWith(p))) return;
      const token = request.headers[IDENTITY_HEADER];
      if (typeof token !== 'string') {
        return sendProblem(request, reply, {
          status: 401,
          code: 'missing_identity',
          title: 'Chưa xác thực',
          detail: 'requests must come through the gateway',
        });
      }
      try {
        request.identity = await verifyIdentity(secret, token);
      } catch {
        return sendProblem(request, reply, {
          status: 401,
          code: 'invalid_identity',
          title: 'Chưa xác thực',
          detail: 'the identity assertion is invalid or expired',
        });
      }
      // The gateway checked the roles first, from the same declaration: checked again here.
      if (request.routeOptions.url === undefined) return undefined;
      const access = routeAccess(request);
      if (!rolesAllow(access.roles, request.identity.roles)) {
        return sendProblem(request, reply, {
          status: 403,
          code: 'forbidden',
          title: 'Không có quyền',
          detail: `roles ${request.identity.roles.join(', ') || '(none)'} may not ${request.method} ${request.routeOptions.url}`,
        });
      }
      return undefined;
    });
  }

  // An agency a request to an agency-scoped route names (the `agencyCode` of its path or query,
  // and of its body where the route says so) must be within the caller's scope: 403 naming the
  // field, before the handler runs.
  app.addHook('preHandler', async (request) => {
    const access = request.routeOptions.schema?.['x-access'];
    const scope = request.identity?.agencyScope ?? null;
    if (!access?.agencyScoped || scope === null) return;
    const parts = {
      params: request.params,
      query: request.query,
      ...(access.agencyInBody ? { body: request.body } : {}),
    };
    for (const [part, value] of Object.entries(parts)) {
      const code = (value as { agencyCode?: unknown } | null | undefined)?.agencyCode;
      if (typeof code === 'string')
        requireFilterWithinScope(scope, code, { in: part as 'params', pointer: '/agencyCode' });
    }
  });

  const registry = installMetrics(app, options.name);
  app.decorate('metricsRegistry', registry);
  const backlog = options.outboxBacklog;
  if (backlog) {
    // Read at scrape time: an alert on the oldest pending event's age says the relay is stuck.
    let last = { pending: 0, oldestAgeSeconds: 0 };
    const refresh = async () => {
      last = await backlog().catch(() => last);
      return last;
    };
    new Gauge({
      name: 'outbox_pending_events',
      help: 'Events written but not yet relayed to their queues',
      registers: [registry],
      collect: async function (this: Gauge) {
        this.set((await refresh()).pending);
      },
    });
    new Gauge({
      name: 'outbox_oldest_pending_seconds',
      help: 'Age of the oldest event not yet relayed',
      registers: [registry],
      collect: async function (this: Gauge) {
        this.set((await refresh()).oldestAgeSeconds);
      },
    });
  }

  app.get('/health', { schema: { hide: true, response: { 200: HealthResponse } } }, async () => ({
    status: 'ok' as const,
    service: options.name,
  }));

  const checks = options.readiness ?? {};
  app.get('/ready', { schema: { hide: true } }, async (request, reply) => {
    const results: Record<string, 'up' | 'down'> = {};
    const failures: string[] = [];
    if (app.lifecycle.shuttingDown) failures.push('shutting down');
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await withTimeout(check(), READY_TIMEOUT_MS);
          results[name] = 'up';
        } catch (err) {
          results[name] = 'down';
          failures.push(`${name} is down`);
          request.log.warn({ dependency: name, err: (err as Error).message }, 'readiness check failed');
        }
      }),
    );
    if (failures.length > 0) {
      return sendProblem(request, reply, {
        status: 503,
        code: 'not_ready',
        title: 'Dịch vụ chưa sẵn sàng',
        detail: failures.join('; '),
        checks: results,
        shuttingDown: app.lifecycle.shuttingDown,
        ...(backlog ? { outbox: await backlog().catch(() => null) } : {}),
      });
    }
    return {
      status: 'ready',
      checks: results,
      ...(backlog ? { outbox: await backlog().catch(() => null) } : {}),
    };
  });

  if (options.openapiRoute !== false) {
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  }

  return app;
}

/** The caller the gateway vouched for (403 when there is none: an operational route). */
export function callerOf(request: FastifyRequest): Identity {
  if (!request.identity) throw problems.forbidden('no caller identity');
  return request.identity;
}

/** The access a request's route declares (administrators only when it declares none). */
export function routeAccess(request: FastifyRequest): RouteAccess {
  return request.routeOptions.schema?.['x-access'] ?? ADMIN_ACCESS;
}

export { ProblemDetails };
