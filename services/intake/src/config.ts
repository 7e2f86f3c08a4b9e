import { baseConfigSchema, loadConfig } from '@tthc/service-kit';
import { z } from 'zod';
import { NationalSyncConfig, refineNationalSyncConfig } from './national-sync';
import { NotificationConfig, refineNotificationConfig } from './notifications';

export const configSchema = baseConfigSchema
  .extend({
    PORT: z.coerce.number().int().min(1).max(65535).default(3002).describe('Listening port'),
    PROVINCE_NAME: z
      .string()
      .min(1)
      .default('Quảng Nam')
      .describe('Province printed on slips (UBND TỈNH ...)'),
    DESK_NAME: z
      .string()
      .min(1)
      .default('Trung tâm Phục vụ hành chính công')
      .describe('The one-stop desk printed on slips'),
    PORTAL_NAME: z
      .string()
      .min(1)
      .default('Cổng Dịch vụ công')
      .describe('Where citizens track dossiers (printed on the receipt)'),
    TRACKING_URL_BASE: z
      .url()
      .optional()
      .describe('Base URL of the portal tracking page; the receipt QR links to it'),
  })
  .extend(NotificationConfig.omit({ TRACKING_URL_BASE: true }).shape)
  .extend(NationalSyncConfig.shape)
  .superRefine(refineNotificationConfig)
  .superRefine(refineNationalSyncConfig);
export type Config = z.infer<typeof configSchema>;

export const readConfig = (env: NodeJS.ProcessEnv = process.env): Config => loadConfig(configSchema, env);
