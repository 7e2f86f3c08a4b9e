import { z } from 'zod';

/**
 * A W3C trace context (`traceparent`, https://www.w3.org/TR/trace-context/): version, trace id,
 * parent span id and flags, in lower-case hex. Carried by outbox rows, events and jobs so that a
 * consumer's work continues the trace of the request that caused it.
 */
export const Traceparent = z
  .string()
  .regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/, 'must be a W3C traceparent');
export type Traceparent = z.infer<typeof Traceparent>;

/** The span attribute naming the process a span comes from (gateway, intake, kpi...). */
export const SERVICE_SPAN_ATTRIBUTE = 'tthc.service';

/** The process a queue belongs to, by its name (`kpi.events` is kpi's). */
export const serviceOfQueue = (queue: string): string => queue.split('.')[0] ?? queue;
