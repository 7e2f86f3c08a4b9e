import { baseConfigSchema, loadConfig, tracingConfigSchema } from '@tthc/service-kit';
import { z } from 'zod';

const url = z.url({ protocol: /^https?$/ });

export const configSchema = baseConfigSchema
  .pick({
    HOST: true,
    LOG_LEVEL: true,
    INTERNAL_AUTH_SECRET: true,
    SHUTDOWN_TIMEOUT_MS: true,
    DATABASE_URL: true,
    REDIS_URL: true,
    QUEUE_PREFIX: true,
    MIGRATE_ON_START: true,
  })
  .extend(tracingConfigSchema.shape)
  .extend({
    PORT: z.coerce.number().int().min(1).max(65535).default(8080).describe('Listening port'),
    CATALOGUE_URL: url.default('http://127.0.0.1:3001').describe('Base URL of the catalogue service'),
    INTAKE_URL: url.default('http://127.0.0.1:3002').describe('Base URL of the intake service'),
    KPI_URL: url.default('http://127.0.0.1:3003').describe('Base URL of the kpi service'),
    REPORTS_URL: url.default('http://127.0.0.1:3004').describe('Base URL of the reports service'),
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(1024 * 1024)
      .describe('Largest request body (as the services take it)'),
    IMPORT_BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(20 * 1024 * 1024)
      .describe('Largest body of the import routes'),
    UPSTREAM_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .positive()
      .default(30_000)
      .describe('Time a service has to answer'),
    REQUEST_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .positive()
      .default(60_000)
      .describe('Longest a client request may take'),
    // Officers' tokens from the province's identity provider: a JWKS URL or an HS256 secret.
    JWT_JWKS_URL: url.optional().describe('JWKS of the identity provider (RS256/ES256 tokens)'),
    JWT_HS256_SECRET: z.string().min(32).optional().describe('Shared secret for HS256 tokens (>= 32 chars)'),
    JWT_ISSUER: z.string().optional().describe('Expected iss of officer tokens'),
    JWT_AUDIENCE: z.string().optional().describe('Expected aud of officer tokens'),
    JWT_ROLES_CLAIM: z.string().default('roles').describe('Claim carrying the officer roles'),
    JWT_AGENCY_CLAIM: z.string().default('agency_code').describe('Claim carrying the officer agency'),
    JWT_NAME_CLAIM: z
      .string()
      .default('name')
      .describe('Claim carrying the officer full name (audit trail, slips)'),
    JWT_UNIT_CLAIM: z.string().default('unit').describe('Claim carrying the officer unit (phòng, bộ phận)'),
    /** An administrator key to create at start-up (npm start generates one and prints it). */
    BOOTSTRAP_ADMIN_API_KEY: z
      .preprocess(
        (v) => (v === '' ? undefined : v),
        z
          .string()
          .regex(/^tthc_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{32,}$/, 'an API key as the admin API issues them')
          .optional(),
      )
      .describe('An administrator key installed at start-up (`npm start` generates one)'),
    RATE_LIMIT_PER_MINUTE: z.coerce
      .number()
      .int()
      .positive()
      .default(600)
      .describe('Requests per minute per API key, token or IP'),
    OVERLOAD_EVENT_LOOP_DELAY_MS: z.coerce
      .number()
      .int()
      .min(0)
      .default(1000)
      .describe('Mean event-loop lag past which the gateway answers 503 with Retry-After; 0 turns it off'),
    TRUSTED_PROXIES: z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean),
      )
      .pipe(
        z.array(
          z.string().regex(/^[0-9A-Fa-f:.]+(\/\d{1,3})?$/, 'an IP address or a CIDR range, e.g. 10.0.0.0/8'),
        ),
      )
      .describe(
        'Reverse proxies (IPs or CIDR ranges, comma-separated) whose X-Forwarded-For names the client; rate limits and the personal-data log use that address. Empty: the connection address',
      ),
    TRACKING_RATE_LIMIT_PER_MINUTE: z.coerce
      .number()
      .int()
      .positive()
      .default(20)
      .describe('Citizen tracking requests per minute per IP'),
  })
  .refine((c) => !(c.JWT_JWKS_URL && c.JWT_HS256_SECRET), {
    message: 'set JWT_JWKS_URL or JWT_HS256_SECRET, not both',
    path: ['JWT_HS256_SECRET'],
  });
export type Config = z.infer<typeof configSchema>;

export const readConfig = (env: NodeJS.ProcessEnv = process.env): Config => loadConfig(configSchema, env);
