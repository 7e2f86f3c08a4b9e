/**
 * The first import of main.ts: tracing (off unless TRACING_ENABLED) starts before the Postgres and
 * Redis clients load, so that their calls are traced.
 */
import { startProcessTracing } from '@tthc/service-kit/dist/tracing';

export const tracing = startProcessTracing('kpi');
