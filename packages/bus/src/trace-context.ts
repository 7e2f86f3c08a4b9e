import {
  context,
  INVALID_SPAN_CONTEXT,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { SERVICE_SPAN_ATTRIBUTE, serviceOfQueue } from '@tthc/contracts';
import { DelayedError, RateLimitError, WaitingChildrenError, type Job } from 'bullmq';

/**
 * Trace context across the bus: an outbox row keeps the `traceparent` of the transaction that
 * wrote it, the relay's span continues it and puts its own in the event, and a consumer's span
 * continues that. With tracing off (no provider registered, see service-kit's tracing) the API is
 * a no-op: no traceparent is written and every span is a no-op.
 */

const tracer = () => trace.getTracer('@tthc/bus');

/**
 * Whether this process traces (a propagator is registered). Off, the bus does no tracing work at
 * all on a message's path: no span objects, no header carriers.
 */
const tracing = (): boolean => propagation.fields().length > 0;
const NO_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** The W3C traceparent of a context (the active one by default); null when nothing is traced. */
export function traceparentOf(ctx: Context = context.active()): string | null {
  if (!tracing()) return null;
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent ?? null;
}

/** The context a carried traceparent names; the root (a new trace) when there is none. */
export function contextOf(traceparent: string | null | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

export interface MessageSpanOptions {
  kind: SpanKind;
  /** The traceparent the message carried (the span is its child). */
  parent: string | null | undefined;
  /** The process doing the work (the span attribute tthc.service). */
  service: string;
  attributes?: Attributes;
}

/** Starts a span that continues a message's trace; the caller ends it. */
export function startMessageSpan(name: string, options: MessageSpanOptions): Span {
  return tracer().startSpan(
    name,
    { kind: options.kind, attributes: { [SERVICE_SPAN_ATTRIBUTE]: options.service, ...options.attributes } },
    contextOf(options.parent),
  );
}

/** The span of handing a message to a queue, and the traceparent the message carries on. */
export interface SendSpan {
  /** This span's context (the message's own one when nothing is traced). */
  traceparent: string | undefined;
  /** Ends the span; with the error when the hand-over failed. */
  end: (err?: unknown) => void;
}

/** Starts the span of handing a message (an event, a send job) to its queue. */
export function startSendSpan(name: string, options: Omit<MessageSpanOptions, 'kind'>): SendSpan {
  if (!tracing()) return { traceparent: options.parent ?? undefined, end: () => undefined };
  const span = startMessageSpan(name, { ...options, kind: SpanKind.PRODUCER });
  return {
    traceparent: traceparentOf(trace.setSpan(ROOT_CONTEXT, span)) ?? options.parent ?? undefined,
    end: (err) => {
      if (err !== undefined) failSpan(span, err);
      span.end();
    },
  };
}

/** Ends a span with the error that ended its work. */
export function failSpan(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

/**
 * Runs the work on a message inside a span continuing its trace (whatever the work writes to an
 * outbox or asks of a queue carries this span on), and ends the span with the outcome.
 */
export async function inMessageSpan<T>(
  name: string,
  options: MessageSpanOptions,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  if (!tracing()) return work(NO_SPAN);
  const span = startMessageSpan(name, options);
  try {
    return await context.with(trace.setSpan(contextOf(options.parent), span), () => work(span));
  } catch (err) {
    // BullMQ's ways of putting a job back for later (a rate limit, a delay) are not failures.
    if (err instanceof DelayedError || err instanceof RateLimitError || err instanceof WaitingChildrenError)
      span.addEvent('job put back', { reason: err.message });
    else failSpan(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/** A job's data with the active trace context added (unchanged when nothing is traced). */
export function withTraceparent<D>(data: D): D {
  const traceparent = traceparentOf();
  return traceparent && data !== null && typeof data === 'object' && !Array.isArray(data)
    ? { ...data, traceparent }
    : data;
}

/** The traceparent a job's data carries, if any. */
export function carriedTraceparent(data: unknown): string | undefined {
  const value = (data as { traceparent?: unknown } | null)?.traceparent;
  return typeof value === 'string' ? value : undefined;
}

/**
 * The span of a consumer's work on one message (a job, or one event of a job of events): a child
 * of the span that sent it, named after what it is.
 */
export function consumeSpan<T>(
  queue: string,
  job: Job,
  work: () => Promise<T>,
  message: { data: unknown; name: string; id: string } = {
    data: job.data,
    name: job.name,
    id: job.id ?? '',
  },
): Promise<T> {
  return inMessageSpan(
    `${queue} process ${message.name}`,
    {
      kind: SpanKind.CONSUMER,
      parent: carriedTraceparent(message.data),
      service: serviceOfQueue(queue),
      attributes: {
        'messaging.system': 'bullmq',
        'messaging.destination.name': queue,
        'messaging.message.id': message.id,
      },
    },
    work,
  );
}
