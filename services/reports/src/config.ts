import { baseConfigSchema, loadConfig } from '@tthc/service-kit';
import { z } from 'zod';

export const configSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(3004).describe('Listening port'),
  REPORTS_SCHEDULE_CRON: z
    .string()
    .default('0 7 * * *')
    .describe(
      'When the report schedules are checked for periods that have closed (cron, Asia/Ho_Chi_Minh); "off" turns them off',
    ),
});
export type Config = z.infer<typeof configSchema>;

export const readConfig = (env: NodeJS.ProcessEnv = process.env): Config => loadConfig(configSchema, env);
