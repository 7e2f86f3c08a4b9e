import { baseConfigSchema, loadConfig } from '@tthc/service-kit';
import { z } from 'zod';

export const configSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(3001).describe('Listening port'),
  NATIONAL_CATALOGUE_URL: z
    .url()
    .optional()
    .describe(
      "Where the national procedure database hands out the province's procedure records (JSON); unset: no scheduled pull, the file upload still works",
    ),
  NATIONAL_CATALOGUE_TOKEN: z
    .string()
    .min(1)
    .optional()
    .describe('Bearer token sent to NATIONAL_CATALOGUE_URL (secret)'),
  NATIONAL_CATALOGUE_PULL_CRON: z
    .string()
    .default('30 1 * * *')
    .describe(
      'When the national records are pulled (cron, Asia/Ho_Chi_Minh); "off" pulls only when an operator asks',
    ),
  NATIONAL_CATALOGUE_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(30_000)
    .describe('How long a pull waits for the national source to answer'),
  NATIONAL_CATALOGUE_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(20)
    .default(6)
    .describe('Attempts of a pull that fails (timeout, 5xx, an HTML page), with exponential backoff'),
  NATIONAL_CATALOGUE_BACKOFF_MS: z.coerce
    .number()
    .int()
    .min(10)
    .default(60_000)
    .describe('Wait before the second attempt of a failed pull; it doubles for each further attempt'),
});
export type Config = z.infer<typeof configSchema>;

export const readConfig = (env: NodeJS.ProcessEnv = process.env): Config => loadConfig(configSchema, env);
