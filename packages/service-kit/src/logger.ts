import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type Logger, type LoggerOptions } from 'pino';
import { tracingEnabled } from './tracing';

/**
 * Personal data that must never reach a log: ID numbers, phones, e-mails, addresses, and the
 * credentials a request carries. Pino's wildcards cover one level; the paths list the shapes
 * the suite uses (top level, one object deep, and inside an `applicant`).
 */
export const PERSONAL_FIELDS = [
  'idNumber',
  'identityNumber',
  'citizenId',
  'phone',
  'phoneNumber',
  'email',
  'address',
  'dateOfBirth',
  'taxCode',
] as const;

export const redactPaths: string[] = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-tthc-identity"]',
  'req.headers.cookie',
  ...PERSONAL_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`, `applicant.${f}`, `*.applicant.${f}`]),
  'applicant',
  '*.applicant',
];

export function createLogger(name: string, level = 'info', destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    name,
    level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // With tracing on, a line names the trace and span it was written in (logs and traces meet).
    mixin: () => {
      if (!tracingEnabled()) return {};
      const span = trace.getActiveSpan()?.spanContext();
      return span && isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
