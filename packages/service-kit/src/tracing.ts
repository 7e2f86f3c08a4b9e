/**
 * Tracing: the one place the suite sets up OpenTelemetry. Each process's main calls
 * startTracing first; with TRACING_ENABLED off (the default) nothing is registered and every
 * span the code starts is the API's no-op. On, spans are exported over OTLP/HTTP and W3C trace
 * context is carried: HTTP headers from the gateway to the services, `traceparent` on outbox
 * rows and in the events and jobs on BullMQ (see @tthc/bus), so one dossier's receipt is one
 * trace from the gateway to the consumers.
 */
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { context, propagation, trace, type Context } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { FastifyPluginCallback } from 'fastify';
import { loadConfig, tracingConfigSchema, type TracingConfig } from './config';

/** The attribute naming the process a span comes from (several share one process in the tests). */
export const SERVICE_ATTRIBUTE = 'tthc.service';

/** Routes no trace is recorded for: probes and scrapes. */
const UNTRACED = new Set(['/health', '/ready', '/metrics']);

let provider: NodeTracerProvider | null = null;

export interface Tracing {
  /** Sends the spans still buffered and stops exporting (the last step of a shutdown). */
  shutdown: () => Promise<void>;
}

function samplerOf(config: Pick<TracingConfig, 'OTEL_TRACES_SAMPLER' | 'OTEL_TRACES_SAMPLER_ARG'>): Sampler {
  const ratio = config.OTEL_TRACES_SAMPLER_ARG ?? 1;
  switch (config.OTEL_TRACES_SAMPLER) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}

/** `key=value,key2=value2` (values percent-encoded) as the OTLP specification writes headers. */
function headersOf(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (value ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    out[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return out;
}

/**
 * Registers a tracer provider with these span processors, the AsyncLocalStorage context manager
 * and the W3C trace-context propagator, for the whole process. Tests register an in-memory
 * exporter this way before the suite starts.
 */
export function registerTracing(options: {
  serviceName: string;
  spanProcessors: SpanProcessor[];
  sampler?: Sampler;
}): Tracing {
  if (provider) throw new Error('tracing is already registered in this process');
  const registered = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    spanProcessors: options.spanProcessors,
    ...(options.sampler ? { sampler: options.sampler } : {}),
  });
  registered.register();
  provider = registered;
  return {
    shutdown: async () => {
      await registered.shutdown();
      if (provider === registered) {
        provider = null;
        trace.disable();
        context.disable();
        propagation.disable();
      }
    },
  };
}

/**
 * Starts tracing for a process when its configuration turns it on; otherwise registers nothing.
 * Call it in main before the app and workers are built.
 */
export function startTracing(serviceName: string, config: TracingConfig): Tracing {
  if (!config.TRACING_ENABLED) return { shutdown: async () => undefined };
  const base = config.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, '');
  const url = config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base ? `${base}/v1/traces` : undefined);
  const exporter = new OTLPTraceExporter({
    ...(url ? { url } : {}),
    headers: headersOf(config.OTEL_EXPORTER_OTLP_HEADERS),
  });
  const tracing = registerTracing({
    serviceName: config.OTEL_SERVICE_NAME ?? serviceName,
    spanProcessors: [new BatchSpanProcessor(exporter)],
    sampler: samplerOf(config),
  });
  // Queries and Redis commands made for a traced request, event or job (never the workers' own
  // polling); statements without their values, Redis commands by name only: no personal data.
  const stopInstrumenting = registerInstrumentations({
    instrumentations: [
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command) => command }),
    ],
  });
  return {
    shutdown: async () => {
      stopInstrumenting();
      await tracing.shutdown();
    },
  };
}

/**
 * Starts tracing from the environment (TRACING_ENABLED and the OTEL_* variables): for the module a
 * main imports first (`src/tracing.ts` of each service), so that Postgres and Redis clients load
 * after their instrumentation and their calls are traced.
 */
export function startProcessTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): Tracing {
  return startTracing(serviceName, loadConfig(tracingConfigSchema, env));
}

/** Whether this process records traces (a provider is registered). */
export function tracingEnabled(): boolean {
  return provider !== null;
}

/**
 * The Fastify plugin (@fastify/otel) giving each request a server span, a child of the caller's
 * `traceparent` header, named by method and route; null when tracing is off, so an app without
 * tracing has no hook at all.
 */
export function requestTracing(service: string): FastifyPluginCallback | null {
  if (!tracingEnabled()) return null;
  const instrumentation = new FastifyOtelInstrumentation({
    instrumentHooks: false,
    ignorePaths: (route: { url?: string }) => UNTRACED.has((route.url ?? '').split('?')[0] ?? ''),
    requestHook: (span, request) => {
      span.updateName(`${request.method} ${request.routeOptions.url ?? 'unmatched'}`);
      span.setAttribute(SERVICE_ATTRIBUTE, service);
    },
  });
  return instrumentation.plugin() as FastifyPluginCallback;
}

/**
 * Adds the trace context of `ctx` (the active one by default) to outgoing headers: the gateway
 * calls it on every request it forwards. Adds nothing when tracing is off.
 */
export function withTraceHeaders<H extends Record<string, unknown>>(
  headers: H,
  ctx: Context = context.active(),
): H {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return { ...headers, ...carrier };
}
