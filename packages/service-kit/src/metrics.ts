import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics: process defaults plus request duration by route and status. */
export function installMetrics(app: FastifyInstance, service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    duration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
  return registry;
}

/** One value of a labelled gauge. */
export interface GaugeReading<L extends string> {
  labels: Record<L, string>;
  value: number;
}

/**
 * A labelled gauge read at scrape time, at most once per `everyMs` (a grouped query or a round
 * trip per queue is not run on every scrape; replicas and several scrapers share the reading).
 * Labels the last reading lacks are dropped; a failed reading keeps the previous one.
 */
export function periodicGauge<L extends string>(
  registry: Registry,
  options: {
    name: string;
    help: string;
    labelNames: readonly L[];
    everyMs: number;
    read: () => Promise<GaugeReading<L>[]>;
  },
): Gauge<L> {
  let readAt = 0;
  let last: GaugeReading<L>[] = [];
  let pending: Promise<GaugeReading<L>[]> | null = null;
  const refresh = (): Promise<GaugeReading<L>[]> => {
    if (Date.now() - readAt < options.everyMs) return Promise.resolve(last);
    pending ??= options
      .read()
      .then((r) => {
        last = r;
        readAt = Date.now();
        return r;
      })
      .catch(() => last)
      .finally(() => {
        pending = null;
      });
    return pending;
  };
  return new Gauge<L>({
    name: options.name,
    help: options.help,
    labelNames: options.labelNames,
    registers: [registry],
    collect: async function (this: Gauge<L>) {
      const readings = await refresh();
      this.reset();
      for (const r of readings) this.set(r.labels as never, r.value);
    },
  });
}
