import { baseConfigSchema, loadConfig } from '@tthc/service-kit';
import { z } from 'zod';

const url = z.url({ protocol: /^https?$/ });

export const configSchema = baseConfigSchema
  .pick({ HOST: true, LOG_LEVEL: true, INTERNAL_AUTH_SECRET: true, SHUTDOWN_TIMEOUT_MS: true })
  .extend({
    PORT: z.coerce.number().int().min(1).max(65535).default(8080),
    CATALOGUE_URL: url.default('http://127.0.0.1:3001').describe('Base URL of the catalogue service'),
    INTAKE_URL: url.default('http://127.0.0.1:3002').describe('Base URL of the intake service'),
    KPI_URL: url.default('http://127.0.0.1:3003').describe('Base URL of the kpi service'),
    REPORTS_URL: url.default('http://127.0.0.1:3004').describe('Base URL of the reports service'),
    BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(2 * 1024 * 1024),
    UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  });
export type Config = z.infer<typeof configSchema>;

export const readConfig = (env: NodeJS.ProcessEnv = process.env): Config => loadConfig(configSchema, env);
