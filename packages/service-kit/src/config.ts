import { z } from 'zod';
import { REDIS_URL_PATTERN } from './redis-url';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Settings every service reads. Secrets have no default. */
export const baseConfigSchema = z.object({
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
