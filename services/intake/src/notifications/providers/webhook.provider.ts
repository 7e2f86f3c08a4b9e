import { createHmac, timingSafeEqual } from 'node:crypto';
import type { NotificationConfig } from '../notification.config';
import {
  atPath,
  IDEMPOTENCY_HEADER,
  postWithTimeout,
  ProviderError,
  type NotificationProvider,
  type OutgoingMessage,
  type SendResult,
} from './provider';

export const SIGNATURE_HEADER = 'x-tthc-signature';

/** `sha256=<hex>` of the HMAC-SHA256 of the exact body bytes. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** What a receiver does with the header: recompute over the raw body and compare in constant time. */
export function verifySignature(secret: string, body: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * A generic signed webhook (a Zalo OA bridge, the portal, the desk software's chat). The body is
 * JSON; `to` is the recipient (the applicant's phone or e-mail, or `officer:<id>`), which is
 * why the endpoint must be HTTPS in production and verify the signature.
 */
export class WebhookProvider implements NotificationProvider {
  readonly ratePerSecond: number;
  private readonly url: string;
  private readonly secret: string;
  private readonly timeoutMs: number;

  constructor(
    readonly name: string,
    c: NotificationConfig,
  ) {
    if (!c.NOTIFY_WEBHOOK_URL || !c.NOTIFY_WEBHOOK_SECRET)
      throw new Error('NOTIFY_WEBHOOK_URL and NOTIFY_WEBHOOK_SECRET must be set');
    this.url = c.NOTIFY_WEBHOOK_URL;
    this.secret = c.NOTIFY_WEBHOOK_SECRET;
    this.timeoutMs = c.NOTIFY_WEBHOOK_TIMEOUT_MS;
    this.ratePerSecond = c.NOTIFY_WEBHOOK_RATE_PER_SECOND;
  }

  async send(m: OutgoingMessage): Promise<SendResult> {
    const body = JSON.stringify({
      id: m.id,
      audience: m.audience,
      event: m.event,
      dossierCode: m.dossierCode,
      to: m.destination,
      subject: m.subject,
      text: m.body,
      createdAt: m.createdAt.toISOString(),
    });
    const res = await postWithTimeout(
      this.url,
      {
        headers: {
          'content-type': 'application/json; charset=utf-8',
          [SIGNATURE_HEADER]: signBody(this.secret, body),
          'x-tthc-message-id': m.id,
          [IDEMPOTENCY_HEADER]: m.id,
        },
        body,
      },
      this.timeoutMs,
    );
    const text = await res.text().catch(() => '');
    if (!res.ok) throw new ProviderError(`webhook answered HTTP ${res.status}`, res.status === 410);
    let id: unknown;
    try {
      id = atPath(JSON.parse(text), 'id');
    } catch {
      id = undefined;
    }
    return { providerMessageId: typeof id === 'string' ? id : null };
  }
}
