import { z } from 'zod';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * The environment the national sync reads (merged into the intake's config schema). Off unless
 * NATIONAL_SYNC_URL is set: a province without the connection runs as before. The credentials
 * have no default; the mapping (paths, member names, codes) is data, edited through the API.
 */
export const NationalSyncConfig = z.object({
  NATIONAL_SYNC_URL: z
    .url()
    .optional()
    .describe('Base URL of the national portal dossier endpoints; unset: the sync is off'),
  NATIONAL_SYNC_TOKEN_URL: z.url().optional().describe('OAuth2 token endpoint (client credentials grant)'),
  NATIONAL_SYNC_CLIENT_ID: z.string().min(1).optional().describe('OAuth2 client id issued to the province'),
  NATIONAL_SYNC_CLIENT_SECRET: z.string().min(1).optional().describe('OAuth2 client secret (no default)'),
  NATIONAL_SYNC_SCOPE: z
    .string()
    .min(1)
    .optional()
    .describe('OAuth2 scope asked for, when the portal wants one'),
  NATIONAL_SYNC_TIMEOUT_MS: int(100, 120_000).default(15_000).describe('Time limit of one call'),
  NATIONAL_SYNC_MAX_ATTEMPTS: int(1, 100)
    .default(12)
    .describe('Attempts of one push before it goes to the dead-letter list'),
  NATIONAL_SYNC_MAX_AGE_HOURS: int(1, 24 * 30)
    .default(72)
    .describe('A push still failing this long after it was queued goes to the dead-letter list'),
  NATIONAL_SYNC_BACKOFF_MS: int(1, 3_600_000)
    .default(30_000)
    .describe('First retry delay; doubles per attempt'),
  NATIONAL_SYNC_MAX_BACKOFF_MS: int(1, 86_400_000).default(3_600_000).describe('Longest retry delay'),
  NATIONAL_SYNC_INTERVAL_MS: int(10, 60_000).default(2_000).describe('How often due pushes are looked for'),
  NATIONAL_SYNC_CONCURRENCY: int(1, 50).default(4).describe('Pushes in flight at once (one per dossier)'),
  NATIONAL_SYNC_RECONCILE_CRON: z
    .string()
    .regex(/^(off|(\S+\s+){4,5}\S+)$/, 'a cron pattern of 5 or 6 fields, or off')
    .default('30 1 * * *')
    .describe('When the daily reconciliation runs (cron, Việt Nam time); "off" turns it off'),
  NATIONAL_SYNC_RECONCILE_DAYS: int(1, 400)
    .default(2)
    .describe('The reconciliation compares the dossiers changed in this many last days'),
});
export type NationalSyncConfig = z.infer<typeof NationalSyncConfig>;

/** The connection is configured: pushes and the reconciliation run. */
export const nationalSyncOn = (c: NationalSyncConfig): boolean => c.NATIONAL_SYNC_URL !== undefined;

/** For config.ts: a configured sync needs its token endpoint and credentials. */
export function refineNationalSyncConfig(c: NationalSyncConfig, ctx: z.RefinementCtx): void {
  if (!nationalSyncOn(c)) return;
  for (const k of [
    'NATIONAL_SYNC_TOKEN_URL',
    'NATIONAL_SYNC_CLIENT_ID',
    'NATIONAL_SYNC_CLIENT_SECRET',
  ] as const)
    if (c[k] === undefined)
      ctx.addIssue({ code: 'custom', path: [k], message: 'required when NATIONAL_SYNC_URL is set' });
}
