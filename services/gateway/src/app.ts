import rateLimit from '@fastify/rate-limit';
import swaggerUi from '@fastify/swagger-ui';
import underPressure from '@fastify/under-pressure';
import { ping as pingDb } from '@tthc/db';
import helmet from 'helmet';
import { createService, HttpProblem, sendProblem, type ServiceApp } from '@tthc/service-kit';
import { DENY_BY_DEFAULT } from './auth/access-table';
import { AgencyScopes } from './auth/agency-scope';
import { installAuthentication } from './auth/authenticate';
import { ApiKeyCache } from './auth/key-cache';
import { tokenVerifier } from './auth/jwt';
import type { AppDeps } from './deps';
import type { OpenApiDoc } from './openapi/merge';
import { MergedSpec } from './openapi/merged-spec';
import { adminRoutes } from './routes/admin.routes';
import { problemRoutes } from './routes/problems.routes';
import { IdentitySigner } from './auth/identity-signer';
import { sharedWithLocalFallback } from './limits/fallback-store';
import { proxyRoutes } from './routes/proxy.routes';
import { queueRoutes } from './routes/queues.routes';
import { upstreamOf, upstreamUrls } from './routes/route-table';

/** The longest the start waits for the services' documents (Fastify's hooks time out at 10 s). */
const READY_WAIT_MS = 5_000;

const OVERLOAD_RETRY_AFTER_S = 5;

async function upstreamAnswers(base: string): Promise<void> {
  const res = await fetch(new URL('/health', base), { signal: AbortSignal.timeout(1500) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
}

/**
 * The only public entry: authentication (API keys, officer tokens), the role table, agency
 * scope, rate limits shared through Redis, security headers, the proxy to the services with a
 * signed identity, the merged OpenAPI and Swagger UI, and the administration of keys.
 */
export async function buildApp(deps: AppDeps): Promise<ServiceApp> {
  const { config } = deps;
  const upstreams = upstreamUrls(config);
  const app = await createService({
    name: 'gateway',
    description: 'Cổng API của hệ thống thủ tục hành chính Sở Y tế',
    logger: deps.logger,
    internalAuthSecret: null,
    openapiRoute: false,
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    trustedProxies: config.TRUSTED_PROXIES,
    tags: [
      { name: 'admin', description: 'Quản trị: khóa API, nhật ký quản trị' },
      { name: 'problems', description: 'Các loại lỗi (RFC 9457): what each problem type means' },
    ],
    readiness: {
      postgres: () => pingDb(deps.db),
      // A client that is not connected would queue the ping: say so at once instead.
      redis: () =>
        deps.redis.status === 'ready'
          ? deps.redis.ping()
          : Promise.reject(new Error(`redis connection ${deps.redis.status}`)),
      ...Object.fromEntries(
        Object.entries(upstreams).map(([name, base]) => [name, () => upstreamAnswers(base)]),
      ),
    },
  });

  // Overload: when the event loop lags this far behind, shed load with 503 and Retry-After
  // rather than let every request queue behind it (or fail as a 500).
  await app.register(underPressure, {
    maxEventLoopDelay: config.OVERLOAD_EVENT_LOOP_DELAY_MS,
    retryAfter: OVERLOAD_RETRY_AFTER_S,
    pressureHandler: (request, reply, type) => {
      reply.header('retry-after', OVERLOAD_RETRY_AFTER_S);
      sendProblem(request, reply, {
        status: 503,
        code: 'overloaded',
        title: 'Hệ thống đang quá tải',
        detail: `the gateway is overloaded (${type}); retry in ${OVERLOAD_RETRY_AFTER_S} s`,
      });
    },
  });

  // Security headers on every answer, the same for all (no per-request nonce): helmet's
  // middleware is built once, not for each request.
  const securityHeaders = helmet({
    // Swagger UI needs its inline bootstrap script and styles; everything else is same-origin.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  app.addHook('onRequest', (request, reply, done) =>
    securityHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined)),
  );

  // Bodies stream through to the services: refuse an oversized one here, by its declared length,
  // rather than let a service cut the upload short (which would read as a broken upstream).
  const importPath = /^\/v1\/(procedures\/import(\/spreadsheet)?|dossiers\/import)$/;
  app.addHook('onRequest', async (request, reply) => {
    const length = Number(request.headers['content-length'] ?? 0);
    const limit = importPath.test(request.url.split('?')[0] ?? '')
      ? config.IMPORT_BODY_LIMIT_BYTES
      : config.BODY_LIMIT_BYTES;
    if (length > limit) {
      return sendProblem(request, reply, {
        status: 413,
        code: 'body_too_large',
        title: 'Dữ liệu quá lớn',
        detail: `the body is over ${limit} bytes`,
      });
    }
    return undefined;
  });

  const signer = new IdentitySigner(config.INTERNAL_AUTH_SECRET);
  const keys = new ApiKeyCache({
    db: deps.db,
    logger: deps.logger,
    notices: { redis: deps.redis, channel: `${config.QUEUE_PREFIX}:gw:api-key-revoked` },
  });
  keys.listen();
  app.addHook('onClose', async () => keys.close());
  // The role table is the merged document's: each operation's x-roles, as its service declares it.
  const spec = new MergedSpec(upstreams, deps.logger, () => gatewayOwnSpec(app));
  installAuthentication(app, {
    keys,
    verifyToken: tokenVerifier(config),
    scopes: new AgencyScopes(config.CATALOGUE_URL, signer),
    clock: deps.clock,
    access: async (method, path) => {
      const owner = upstreamOf(path);
      await spec.get(owner);
      const found = spec.accessTable().lookup(method, path);
      if (found !== undefined) return found;
      return owner && !spec.knows(owner) ? undefined : DENY_BY_DEFAULT;
    },
  });

  // After authentication (preHandler), so a key or an officer is counted as itself and an
  // anonymous caller by address; the counters live in Redis, shared by every gateway replica,
  // and in this process while Redis is away (a limit per replica instead of a failed request).
  const limitStore = sharedWithLocalFallback(deps.redis, `${config.QUEUE_PREFIX}:rl:gw:`, deps.logger);
  // The increments counted since the last batch reach Redis before the connection closes.
  app.addHook('onClose', () => limitStore.close());
  await app.register(rateLimit, {
    hook: 'preHandler',
    store: limitStore,
    timeWindow: 60_000,
    max: (request) =>
      request.url.startsWith('/v1/tracking/')
        ? config.TRACKING_RATE_LIMIT_PER_MINUTE
        : config.RATE_LIMIT_PER_MINUTE,
    keyGenerator: (request) =>
      `${request.url.startsWith('/v1/tracking/') ? 'tracking:' : ''}${request.principal || `ip:${request.ip}`}`,
    allowList: (request) => !request.url.startsWith('/v1/'),
    errorResponseBuilder: (_request, context) =>
      new HttpProblem(
        429,
        'too_many_requests',
        'Quá nhiều yêu cầu',
        `at most ${context.max} requests a minute; retry in ${Math.ceil(context.ttl / 1000)} s`,
        {
          extensions: { retryAfter: Math.ceil(context.ttl / 1000) },
        },
      ),
  });

  adminRoutes(app, { db: deps.db, keys });
  problemRoutes(app);
  const closeQueues = await queueRoutes(app, { redis: deps.redis, prefix: config.QUEUE_PREFIX });
  app.addHook('onClose', closeQueues);
  // The role table is read before the first request is served (a service not up yet is tried
  // again, at most once a second, by the requests to its paths). A service slow to answer on a
  // busy host does not hold the start beyond a few seconds: its paths wait for it instead.
  app.addHook('onReady', async () => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      spec.get(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, READY_WAIT_MS);
      }),
    ]).finally(() => clearTimeout(timer));
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => spec.get());
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true },
    uiHooks: {
      onRequest: async () => {
        await spec.get();
      },
    },
    transformSpecification: () => spec.current(),
    transformSpecificationClone: false,
  });

  await proxyRoutes(app, { upstreams, signer, timeoutMs: config.UPSTREAM_TIMEOUT_MS });
  return app;
}

/** The gateway's own operations (administration); the proxied prefixes are the services' to describe. */
export function gatewayOwnSpec(app: ServiceApp): OpenApiDoc {
  const doc = app.swagger() as unknown as OpenApiDoc;
  const paths = Object.fromEntries(
    Object.entries(doc.paths ?? {}).filter(([p]) => p.startsWith('/v1/admin/') || p.startsWith('/problems')),
  );
  return { ...doc, paths };
}

export type { AppDeps };
