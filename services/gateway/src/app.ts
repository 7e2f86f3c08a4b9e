import swaggerUi from '@fastify/swagger-ui';
import { createService, type Logger, type ServiceApp } from '@tthc/service-kit';
import type { Config } from './config';
import { MergedSpec } from './openapi/merged-spec';
import { proxyRoutes } from './routes/proxy.routes';
import { upstreamUrls } from './routes/route-table';

export interface AppDeps {
  config: Config;
  logger: Logger;
}

async function upstreamAnswers(base: string): Promise<void> {
  const res = await fetch(new URL('/health', base), { signal: AbortSignal.timeout(1500) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
}

/** The only public entry: proxy to the services, merged OpenAPI and Swagger UI. */
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
    readiness: Object.fromEntries(Object.entries(upstreams).map(([name, base]) => [name, () => upstreamAnswers(base)])),
  });

  const spec = new MergedSpec(upstreams, deps.logger);
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

  await proxyRoutes(app, { upstreams, secret: config.INTERNAL_AUTH_SECRET, timeoutMs: config.UPSTREAM_TIMEOUT_MS });
  return app;
}
