import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { DelayedError } from 'bullmq';
import { inMessageSpan, startSendSpan, traceparentOf, withTraceparent } from '../src';

const PARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const opts = { kind: SpanKind.CONSUMER, parent: PARENT, service: 'kpi' };

describe('trace context on the bus, tracing off', () => {
  it('adds nothing to a message and still runs the work', async () => {
    expect(traceparentOf()).toBeNull();
    const data = { code: '1.001919' };
    expect(withTraceparent(data)).toBe(data);
    expect(startSendSpan('send', { parent: PARENT, service: 'intake' }).traceparent).toBe(PARENT);
    await expect(inMessageSpan('work', opts, async () => 'done')).resolves.toBe('done');
  });
});

describe('trace context on the bus, tracing on', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  beforeAll(() => provider.register());
  afterAll(() => provider.shutdown());
  beforeEach(() => exporter.reset());

  it("runs a message's work in a child of the context it carried, whose jobs carry it on", async () => {
    const asked = await inMessageSpan('kpi.events process dossier.received', opts, async () =>
      withTraceparent({ code: '1.001919' }),
    );
    const [span] = exporter.getFinishedSpans();
    expect(span!.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(span!.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(span!.attributes['tthc.service']).toBe('kpi');
    expect(asked).toEqual({
      code: '1.001919',
      traceparent: `00-0af7651916cd43dd8448eb211c80319c-${span!.spanContext().spanId}-01`,
    });
  });

  it('marks a failed work as an error, a job put back for later as not one', async () => {
    await expect(inMessageSpan('fails', opts, () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    await expect(inMessageSpan('later', opts, () => Promise.reject(new DelayedError()))).rejects.toThrow();
    const [fails, later] = exporter.getFinishedSpans();
    expect(fails!.status.code).toBe(SpanStatusCode.ERROR);
    expect(later!.status.code).toBe(SpanStatusCode.UNSET);
    expect(later!.events.map((e) => e.name)).toEqual(['job put back']);
  });

  it('gives a send its own span, a child of the message it hands over', () => {
    const send = startSendSpan('outbox relay dossier.received', { parent: PARENT, service: 'intake' });
    send.end();
    const [span] = exporter.getFinishedSpans();
    expect(span!.kind).toBe(SpanKind.PRODUCER);
    expect(send.traceparent).toBe(`00-0af7651916cd43dd8448eb211c80319c-${span!.spanContext().spanId}-01`);
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
