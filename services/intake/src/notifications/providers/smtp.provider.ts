import nodemailer, { type Transporter } from 'nodemailer';
import type { NotificationConfig } from '../notification.config';
import { ProviderError, type NotificationProvider, type OutgoingMessage, type SendResult } from './provider';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string | undefined;
  password: string | undefined;
  from: string;
  timeoutMs: number;
  ratePerSecond: number;
}

export function smtpSettings(
  c: NotificationConfig,
  prefix: 'NOTIFY_SMTP' | 'NOTIFY_SMTP_BACKUP',
): SmtpSettings {
  const host = c[`${prefix}_HOST`];
  const from = c[`${prefix}_FROM`];
  if (!host || !from) throw new Error(`${prefix}_HOST and ${prefix}_FROM must be set`);
  return {
    host,
    port: c[`${prefix}_PORT`],
    secure: c[`${prefix}_SECURE`],
    user: c[`${prefix}_USER`],
    password: c[`${prefix}_PASSWORD`],
    from,
    timeoutMs: c[`${prefix}_TIMEOUT_MS`],
    ratePerSecond: c[`${prefix}_RATE_PER_SECOND`],
  };
}

/** Answers to RCPT TO that no retry will change: no such mailbox, not allowed, bad address. */
const PERMANENT_RECIPIENT_CODES = new Set([550, 551, 553]);

/** E-mail over SMTP (nodemailer, pooled connections), plain text in UTF-8. */
export class SmtpProvider implements NotificationProvider {
  readonly ratePerSecond: number;
  private readonly transport: Transporter;

  constructor(
    readonly name: string,
    private readonly s: SmtpSettings,
  ) {
    this.ratePerSecond = s.ratePerSecond;
    this.transport = nodemailer.createTransport({
      host: s.host,
      port: s.port,
      secure: s.secure,
      ...(s.user ? { auth: { user: s.user, pass: s.password ?? '' } } : {}),
      pool: true,
      maxConnections: 2,
      connectionTimeout: s.timeoutMs,
      greetingTimeout: s.timeoutMs,
      socketTimeout: s.timeoutMs,
    });
  }

  async send(m: OutgoingMessage): Promise<SendResult> {
    try {
      const info = (await this.transport.sendMail({
        from: this.s.from,
        to: m.destination,
        subject: m.subject ?? '',
        text: m.body,
        // One Message-ID per message on every attempt: mail systems drop a repeated delivery.
        messageId: `<${m.id}@${this.s.from.replace(/^.*@/, '').replace(/[>\s].*$/, '') || 'tthc.local'}>`,
        headers: { 'X-TTHC-Message-Id': m.id },
      })) as { messageId?: string };
      return { providerMessageId: info.messageId ?? null };
    } catch (err) {
      // nodemailer's text quotes the refused address: keep only the command and the code.
      const e = err as { code?: string; command?: string; responseCode?: number };
      const permanent =
        e.command === 'RCPT TO' &&
        e.responseCode !== undefined &&
        PERMANENT_RECIPIENT_CODES.has(e.responseCode);
      throw new ProviderError(
        `smtp ${e.command ?? 'connection'} failed: ${e.responseCode ?? e.code ?? 'error'}`,
        permanent,
      );
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
