import { baseConfigSchema, loadConfig } from '@tthc/service-kit';
import { z } from 'zod';

export const configSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(3003).describe('Listening port'),
  KPI_RECONCILE_CRON: z
    .string()
    .default('30 1 * * *')
    .describe(
      'When the nightly reconciliation with intake runs (cron, Asia/Ho_Chi_Minh); "off" turns it off',
    ),
  KPI_RECONCILE_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(400)
    .default(35)
    .describe('Receipt days the nightly reconciliation covers, up to yesterday'),
});
export type Config = z.infer<typeof configSchema>;

export const readConfig = (env: NodeJS.ProcessEnv = process.env): Config => loadConfig(configSchema, env);
