import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:MM');
const list = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)).min(1));

export const SMS_PROVIDERS = ['sms_gateway', 'sms_backup', 'log'] as const;
export const EMAIL_PROVIDERS = ['smtp', 'smtp_backup', 'log'] as const;
export const WEBHOOK_PROVIDERS = ['webhook', 'log'] as const;

/** One brandname SMS gateway over HTTP (the primary and the backup take the same settings). */
const smsGateway = {
  URL: z.url().optional().describe('Endpoint the message is POSTed to'),
  AUTH: z
    .enum(['none', 'basic', 'bearer'])
    .default('none')
    .describe('How the request authenticates (credentials may also go in the body template)'),
  USERNAME: z
    .string()
    .min(1)
    .optional()
    .describe('User name / API key ({{username}} in the body template; basic auth user)'),
  PASSWORD: z
    .string()
    .min(1)
    .optional()
    .describe('Password / secret key ({{password}}; basic auth password)'),
  TOKEN: z.string().min(1).optional().describe('Bearer token when AUTH=bearer'),
  BRANDNAME: z.string().min(1).max(11).optional().describe('Registered brandname ({{brandname}})'),
  BODY_TEMPLATE: z
    .string()
    .default('{"to":"{{phone}}","text":"{{text}}","brandname":"{{brandname}}","reference":"{{messageId}}"}')
    .describe(
      'JSON request body; {{phone}} {{text}} {{brandname}} {{username}} {{password}} {{messageId}} are filled JSON-escaped',
    ),
  PHONE_FORMAT: z
    .enum(['local', 'international'])
    .default('international')
    .describe('0912345678 or 84912345678'),
  ERROR_FIELD: z
    .string()
    .default('error')
    .describe('Dotted path in the JSON answer whose non-empty value means failure'),
  SUCCESS_FIELD: z
    .string()
    .optional()
    .describe('Dotted path that must hold one of SUCCESS_VALUES (e.g. CodeResult)'),
  SUCCESS_VALUES: z
    .string()
    .default('')
    .describe('Comma-separated accepted values of SUCCESS_FIELD (e.g. 100)'),
  ID_FIELD: z
    .string()
    .default('id')
    .describe("Dotted path of the gateway's message id (matched by delivery callbacks)"),
  TIMEOUT_MS: int(100, 120_000).default(10_000).describe('Time limit of one send'),
  RATE_PER_SECOND: int(1, 10_000).default(20).describe('Sends per second across all replicas'),
};
const smtp = {
  HOST: z.string().min(1).optional().describe('SMTP server'),
  PORT: int(1, 65535).default(587).describe('SMTP port'),
  SECURE: bool.default(false).describe('TLS from the first byte (port 465); otherwise STARTTLS when offered'),
  USER: z.string().min(1).optional().describe('SMTP user (no default)'),
  PASSWORD: z.string().min(1).optional().describe('SMTP password (no default)'),
  FROM: z.string().min(3).optional().describe('Sender, e.g. "Sở Y tế <thongbao@syt.example.vn>"'),
  TIMEOUT_MS: int(100, 120_000).default(15_000).describe('Time limit of one send'),
  RATE_PER_SECOND: int(1, 10_000).default(5).describe('Sends per second across all replicas'),
};

const prefixed = <P extends string, S extends Record<string, z.ZodType>>(prefix: P, shape: S) =>
  Object.fromEntries(Object.entries(shape).map(([k, v]) => [`${prefix}_${k}`, v])) as {
    [K in keyof S & string as `${P}_${K}`]: S[K];
  };

/**
 * The environment the notification module reads (merged into the intake's config schema). No
 * secret has a default; with nothing set, every channel goes to the `log` provider, which writes
 * JSON lines to a file for development.
 */
export const NotificationConfig = z.object({
  NOTIFY_SMS_PROVIDERS: list(SMS_PROVIDERS).default(['log']).describe('SMS providers in failover order'),
  NOTIFY_EMAIL_PROVIDERS: list(EMAIL_PROVIDERS)
    .default(['log'])
    .describe('E-mail providers in failover order'),
  NOTIFY_WEBHOOK_PROVIDERS: list(WEBHOOK_PROVIDERS)
    .default(['log'])
    .describe('Webhook providers in failover order'),
  ...prefixed('NOTIFY_SMS_GATEWAY', smsGateway),
  ...prefixed('NOTIFY_SMS_BACKUP', smsGateway),
  ...prefixed('NOTIFY_SMTP', smtp),
  ...prefixed('NOTIFY_SMTP_BACKUP', smtp),
  NOTIFY_WEBHOOK_URL: z
    .url()
    .optional()
    .describe('Signed webhook endpoint (Zalo OA bridge, the portal, the desk software)'),
  NOTIFY_WEBHOOK_SECRET: z
    .string()
    .min(32)
    .optional()
    .describe('HMAC-SHA256 key of the x-tthc-signature header (>= 32 chars)'),
  NOTIFY_WEBHOOK_TIMEOUT_MS: int(100, 120_000).default(10_000).describe('Time limit of one webhook call'),
  NOTIFY_WEBHOOK_RATE_PER_SECOND: int(1, 10_000)
    .default(20)
    .describe('Webhook calls per second across all replicas'),
  NOTIFY_LOG_FILE: z
    .string()
    .min(1)
    .default('.data/notifications.jsonl')
    .describe('File the log provider appends to'),
  NOTIFY_CALLBACK_TOKEN: z
    .string()
    .min(32)
    .optional()
    .describe('Shared token of delivery callbacks (>= 32 chars); unset: callbacks refused'),
  NOTIFY_MAX_ATTEMPTS: int(1, 50).default(6).describe('Send attempts before a message is permanently failed'),
  NOTIFY_BACKOFF_MS: int(1, 3_600_000).default(30_000).describe('First retry delay; doubles per attempt'),
  NOTIFY_UNANSWERED_FAILOVER_MS: int(0, 86_400_000)
    .default(600_000)
    .describe(
      'After a provider took a message without answering (timeout, dropped connection), wait this long before sending it through the next provider; meanwhile the same provider is retried with the same reference',
    ),
  NOTIFY_SEND_CONCURRENCY: int(1, 100).default(5).describe('Senders per channel in each process'),
  NOTIFY_DISPATCH_INTERVAL_MS: int(10, 60_000)
    .default(2_000)
    .describe('How often unsent messages are swept to the send queues'),
  NOTIFY_SCAN_EVERY_MS: int(0, 86_400_000)
    .default(300_000)
    .describe('Reminder scan period; 0 turns the repeatable scan off'),
  NOTIFY_REMINDERS_FROM: clock
    .default('07:30')
    .describe('Local time from which reminders and the digest go out on working days'),
  NOTIFY_REMINDER_WINDOWS: z
    .string()
    .regex(/^\d{1,2}(,\d{1,2})*$/, 'working days before the due date, comma-separated, e.g. 2,0')
    .default('2,0')
    .transform((s) => s.split(',').map(Number))
    .describe('Default warning windows in working days before the due date (0: due today)'),
  NOTIFY_STALE_EVENT_HOURS: int(1, 24 * 90)
    .default(72)
    .describe('Events older than this (a backlog, an import) send no citizen message'),
  NOTIFY_RESULT_PLACE: z
    .string()
    .min(1)
    .default('Bộ phận Tiếp nhận và Trả kết quả, Trung tâm Phục vụ hành chính công tỉnh')
    .describe('Where results are collected, unless the agency sets its own'),
  TRACKING_URL_BASE: z
    .url()
    .optional()
    .describe('Base URL of the portal tracking page (shared with the receipt QR)'),
});
export type NotificationConfig = z.infer<typeof NotificationConfig>;

/** Settings that only matter together: a provider named in a list needs its endpoint and secrets. */
export function notificationConfigIssues(c: NotificationConfig): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const need = (when: boolean, path: keyof NotificationConfig, message: string) => {
    if (when && (c[path] === undefined || c[path] === '')) issues.push({ path, message });
  };
  for (const [name, p] of [
    ['sms_gateway', 'NOTIFY_SMS_GATEWAY'],
    ['sms_backup', 'NOTIFY_SMS_BACKUP'],
  ] as const) {
    const on = c.NOTIFY_SMS_PROVIDERS.includes(name);
    need(on, `${p}_URL`, `required when ${name} is an SMS provider`);
    need(on && c[`${p}_AUTH`] === 'bearer', `${p}_TOKEN`, 'required with AUTH=bearer');
    need(on && c[`${p}_AUTH`] === 'basic', `${p}_PASSWORD`, 'required with AUTH=basic');
    try {
      JSON.parse(c[`${p}_BODY_TEMPLATE`].replace(/\{\{\s*\w+\s*\}\}/g, 'x'));
    } catch {
      issues.push({ path: `${p}_BODY_TEMPLATE`, message: 'must be JSON once its placeholders are filled' });
    }
  }
  for (const [name, p] of [
    ['smtp', 'NOTIFY_SMTP'],
    ['smtp_backup', 'NOTIFY_SMTP_BACKUP'],
  ] as const) {
    const on = c.NOTIFY_EMAIL_PROVIDERS.includes(name);
    need(on, `${p}_HOST`, `required when ${name} is an e-mail provider`);
    need(on, `${p}_FROM`, `required when ${name} is an e-mail provider`);
    need(on && c[`${p}_USER`] !== undefined, `${p}_PASSWORD`, 'required with a user');
  }
  const webhook = c.NOTIFY_WEBHOOK_PROVIDERS.includes('webhook');
  need(webhook, 'NOTIFY_WEBHOOK_URL', 'required when webhook is a provider');
  need(
    webhook,
    'NOTIFY_WEBHOOK_SECRET',
    'required when webhook is a provider (the receiver verifies the signature)',
  );
  return issues;
}

/** For config.ts: `.superRefine(refineNotificationConfig)` lists these problems with the others. */
export function refineNotificationConfig(c: NotificationConfig, ctx: z.RefinementCtx): void {
  for (const i of notificationConfigIssues(c))
    ctx.addIssue({ code: 'custom', path: [i.path], message: i.message });
}
