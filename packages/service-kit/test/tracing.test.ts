import { Writable } from 'node:stream';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { SERVICE_SPAN_ATTRIBUTE } from '@tthc/contracts';
import {
  createLogger,
  createService,
  loadConfig,
  registerTracing,
  requestTracing,
  startTracing,
  tracingConfigSchema,
  tracingEnabled,
  withTraceHeaders,
  type Tracing,
} from '../src';

const silent = createLogger('test', 'silent');
const CALLER = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('tracing off (the default)', () => {
  it('registers nothing: no request hook, no trace headers', async () => {
    const config = loadConfig(tracingConfigSchema, {});
    expect(config.TRACING_ENABLED).toBe(false);
    await startTracing('intake', config).shutdown();
    expect(tracingEnabled()).toBe(false);
    expect(requestTracing('intake')).toBeNull();
    expect(withTraceHeaders({ 'x-request-id': 'r1' })).toEqual({ 'x-request-id': 'r1' });
  });

  it('refuses a sampler or a ratio it does not know, naming the variable', () => {
    expect(() => loadConfig(tracingConfigSchema, { OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(
      /OTEL_TRACES_SAMPLER/,
    );
    expect(() => loadConfig(tracingConfigSchema, { OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(
      /OTEL_TRACES_SAMPLER_ARG/,
    );
  });
});

describe('tracing on', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  beforeAll(() => {
    tracing = registerTracing({ serviceName: 'test', spanProcessors: [new SimpleSpanProcessor(exporter)] });
  });
  afterAll(() => tracing.shutdown());
  beforeEach(() => exporter.reset());

  async function app() {
    const built = await createService({ name: 'intake', logger: silent, internalAuthSecret: null });
    built.get('/v1/things/:id', async () => ({ ok: true }));
    return built;
  }

  it("gives a request a server span continuing the caller's trace, named by its route", async () => {
    const res = await (await app()).inject({ url: '/v1/things/7', headers: { traceparent: CALLER } });
    expect(res.statusCode).toBe(200);
    const server = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.SERVER);
    expect(server).toHaveLength(1);
    expect(server[0]!.name).toBe('GET /v1/things/:id');
    expect(server[0]!.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(server[0]!.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(server[0]!.attributes[SERVICE_SPAN_ATTRIBUTE]).toBe('intake');
  });

  it('records no span for probes and scrapes', async () => {
    const built = await app();
    for (const url of ['/health', '/metrics']) expect((await built.inject({ url })).statusCode).toBe(200);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('names the trace and span in the log lines written inside a span', () => {
    const lines: string[] = [];
    const logger = createLogger(
      'intake',
      'info',
      new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) }),
    );
    const span = trace.getTracer('test').startSpan('work');
    context.with(trace.setSpan(context.active(), span), () => logger.info('inside'));
    span.end();
    logger.info('outside');
    const [inside, outside] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(inside).toMatchObject({
      msg: 'inside',
      traceId: span.spanContext().traceId,
      spanId: span.spanContext().spanId,
    });
    expect(outside).not.toHaveProperty('traceId');
  });

  it('puts the active span in the headers of an outgoing request', () => {
    const span = trace.getTracer('test').startSpan('outgoing');
    const headers = context.with(trace.setSpan(context.active(), span), () => withTraceHeaders({ a: '1' }));
    span.end();
    const { traceId, spanId } = span.spanContext();
    expect(headers).toEqual({ a: '1', traceparent: `00-${traceId}-${spanId}-01` });
  });
});
