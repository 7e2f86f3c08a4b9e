import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { internalQueues, queues, SERVICE_SPAN_ATTRIBUTE } from '@tthc/contracts';
import { registerTracing, type Tracing } from '@tthc/service-kit';
import { eventually } from '@tthc/testkit';
import { FILING } from '../support/filings';
import { startSuite, type Suite } from '../support/suite';

/**
 * One dossier's receipt is one trace: the gateway's request, intake's request (the gateway
 * forwards the trace context), the outbox relay's send (the outbox row keeps the context of the
 * transaction that wrote it) and kpi's consumption of the event (the event carries the relay's
 * context), each span a descendant of the one before.
 */

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let suite: Suite;

beforeAll(async () => {
  tracing = registerTracing({ serviceName: 'suite', spanProcessors: [new SimpleSpanProcessor(exporter)] });
  suite = await startSuite(() => new Date(), { demoCatalogue: true });
}, 120_000);
afterAll(async () => {
  await suite.close();
  await tracing.shutdown();
});

const serviceOf = (s: ReadableSpan) => s.attributes[SERVICE_SPAN_ATTRIBUTE];
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

/** The span and its ancestors up to the root of its trace, the span first. */
function ancestry(span: ReadableSpan, spans: ReadableSpan[]): ReadableSpan[] {
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  const chain = [span];
  for (let p = parentOf(span); p;) {
    const parent = byId.get(p);
    if (!parent) throw new Error(`span ${p}, parent of ${chain.at(-1)!.name}, was not recorded`);
    chain.push(parent);
    p = parentOf(parent);
  }
  return chain;
}

describe('tracing a dossier receipt', () => {
  it('records the gateway, intake, the relay and the consumers as one trace', async () => {
    const filed = await eventually(
      async () => {
        const res = await fetch(`${suite.url}/v1/dossiers`, {
          method: 'POST',
          headers: { ...suite.adminHeaders, 'content-type': 'application/json' },
          body: JSON.stringify(FILING),
        });
        return res.status === 201 ? ((await res.json()) as { id: string; code: string }) : undefined;
      },
      { what: 'intake to know the demo procedure', timeoutMs: 30_000 },
    );

    // kpi has consumed the receipt event once its span has ended.
    const consumed = await eventually(
      async () =>
        exporter
          .getFinishedSpans()
          .find(
            (s) =>
              s.kind === SpanKind.CONSUMER &&
              s.attributes['messaging.destination.name'] === queues.kpiEvents &&
              s.name.endsWith('dossier.received'),
          ),
      { what: 'kpi to consume dossier.received', timeoutMs: 30_000 },
    );
    const kpiDossier = await suite.resources
      .dbFor<any>('kpi')
      .selectFrom('dossiers')
      .select('code')
      .where('code', '=', filed.code)
      .executeTakeFirst();
    expect(kpiDossier).toEqual({ code: filed.code });

    const spans = exporter.getFinishedSpans();
    const chain = ancestry(consumed, spans);
    // Every span of the chain is of the trace of the consumer's span.
    expect(new Set(chain.map((s) => s.spanContext().traceId))).toEqual(
      new Set([consumed.spanContext().traceId]),
    );

    const at = (predicate: (s: ReadableSpan) => boolean, what: string) => {
      const i = chain.findIndex(predicate);
      if (i < 0)
        throw new Error(`no ${what} among ${chain.map((s) => `${serviceOf(s)}:${s.name}`).join(' <- ')}`);
      return i;
    };
    const relay = at((s) => s.kind === SpanKind.PRODUCER && serviceOf(s) === 'intake', 'relay span');
    const intake = at(
      (s) => s.kind === SpanKind.SERVER && serviceOf(s) === 'intake' && s.name === 'POST /v1/dossiers',
      'intake request span',
    );
    const gateway = at(
      (s) => s.kind === SpanKind.SERVER && serviceOf(s) === 'gateway',
      'gateway request span',
    );
    // The consumer's span descends from the relay's, which descends from intake's request, which
    // descends from the gateway's request: the root of the trace.
    expect(0).toBeLessThan(relay);
    expect(relay).toBeLessThan(intake);
    expect(intake).toBeLessThan(gateway);
    expect(gateway).toBe(chain.length - 1);
    expect(chain[relay]!.name).toBe('outbox relay dossier.received');
    expect(chain[gateway]!.attributes['http.response.status_code']).toBe(201);

    // The citizen's receipt message goes on in the same trace: intake's notification consumer
    // writes it, the dispatcher hands it to the SMS queue, the sender sends it.
    const sent = await eventually(
      async () =>
        exporter
          .getFinishedSpans()
          .find(
            (s) =>
              s.kind === SpanKind.CONSUMER &&
              s.attributes['messaging.destination.name'] === internalQueues.intakeNotifySms &&
              s.spanContext().traceId === consumed.spanContext().traceId,
          ),
      { what: 'the receipt SMS to be sent', timeoutMs: 30_000 },
    );
    const sendChain = ancestry(sent, exporter.getFinishedSpans()).map((s) => s.name);
    expect(sendChain.slice(0, 3)).toEqual([
      `${internalQueues.intakeNotifySms} process send`,
      'notification dispatch sms',
      `${queues.intakeNotifications} process dossier.received`,
    ]);
    expect(sendChain).toContain('outbox relay dossier.received');
  }, 90_000);
});
