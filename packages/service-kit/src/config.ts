import { z } from 'zod';
import { REDIS_URL_PATTERN } from './redis-url';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * Tracing (OpenTelemetry): off unless TRACING_ENABLED; the OTEL_* variables are the standard ones
 * (the OTLP exporter and the sampler read them as the specification says).
 */
export const tracingConfigSchema = z.object({
  TRACING_ENABLED: bool
    .default(false)
    .describe(
      'Record OpenTelemetry traces (gateway, services, relays and consumers) and export them over OTLP/HTTP; off: no tracer is registered',
    ),
  OTEL_SERVICE_NAME: z
    .string()
    .min(1)
    .optional()
    .describe('Service name on the exported spans (default: the process, e.g. `intake`)'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url()
    .optional()
    .describe(
      'OTLP/HTTP collector base URL; traces go to `<endpoint>/v1/traces` (default `http://localhost:4318`)',
    ),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z
    .url()
    .optional()
    .describe('Full OTLP/HTTP traces URL, instead of the one derived from OTEL_EXPORTER_OTLP_ENDPOINT'),
  OTEL_EXPORTER_OTLP_HEADERS: z
    .string()
    .optional()
    .describe('Headers sent to the collector (`key=value,key2=value2`, e.g. an authorization)'),
  OTEL_TRACES_SAMPLER: z
    .enum([
      'always_on',
      'always_off',
      'traceidratio',
      'parentbased_always_on',
      'parentbased_always_off',
      'parentbased_traceidratio',
    ])
    .default('parentbased_always_on')
    .describe('Which traces are kept (a ratio sampler takes OTEL_TRACES_SAMPLER_ARG)'),
  OTEL_TRACES_SAMPLER_ARG: z.coerce
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('Ratio of traces kept by a `traceidratio` sampler (0 to 1)'),
});
export type TracingConfig = z.infer<typeof tracingConfigSchema>;

/** Settings every service reads. Secrets have no default. */
export const baseConfigSchema = tracingConfigSchema.extend({
  HOST: z.string().default('127.0.0.1').describe('Interface to listen on (`0.0.0.0` in containers)'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino level'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .describe('Postgres URL; each process uses its own schema (the gateway keeps API keys in `gateway`)'),
  REDIS_URL: z
    .string()
    .regex(REDIS_URL_PATTERN, 'must be a redis://, rediss:// or redis+sentinel:// URL')
    .describe(
      'Redis URL (BullMQ, rate limits); redis+sentinel://host:26379,host2:26379/<master> for a Sentinel set',
    ),
  INTERNAL_AUTH_SECRET: z
    .string()
    .min(32)
    .describe('Secret the gateway signs identity assertions with (>= 32 chars)'),
  QUEUE_PREFIX: z.string().min(1).default('tthc').describe('Key prefix of every BullMQ queue'),
  MIGRATE_ON_START: bool.default(true).describe('Migrate this service schema at start-up'),
  SEED_DEMO_DATA: bool
    .default(false)
    .describe('Load demo data into an empty database at start-up (`true` under `npm start`)'),
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(10_000)
    .describe('Hard limit of a graceful shutdown'),
});
export type BaseConfig = z.infer<typeof baseConfigSchema>;

/** Parses the environment once at start; a bad value stops the process with every problem listed. */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
