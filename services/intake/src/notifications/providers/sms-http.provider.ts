import type { NotificationConfig } from '../notification.config';
import {
  atPath,
  isErrorValue,
  IDEMPOTENCY_HEADER,
  postWithTimeout,
  ProviderError,
  type NotificationProvider,
  type OutgoingMessage,
  type SendResult,
} from './provider';

export interface SmsGatewaySettings {
  url: string;
  auth: 'none' | 'basic' | 'bearer';
  username: string | undefined;
  password: string | undefined;
  token: string | undefined;
  brandname: string | undefined;
  bodyTemplate: string;
  phoneFormat: 'local' | 'international';
  errorField: string;
  successField: string | undefined;
  successValues: string[];
  idField: string;
  timeoutMs: number;
  ratePerSecond: number;
}

export function smsGatewaySettings(
  c: NotificationConfig,
  prefix: 'NOTIFY_SMS_GATEWAY' | 'NOTIFY_SMS_BACKUP',
): SmsGatewaySettings {
  const url = c[`${prefix}_URL`];
  if (!url) throw new Error(`${prefix}_URL is not set`);
  return {
    url,
    auth: c[`${prefix}_AUTH`],
    username: c[`${prefix}_USERNAME`],
    password: c[`${prefix}_PASSWORD`],
    token: c[`${prefix}_TOKEN`],
    brandname: c[`${prefix}_BRANDNAME`],
    bodyTemplate: c[`${prefix}_BODY_TEMPLATE`],
    phoneFormat: c[`${prefix}_PHONE_FORMAT`],
    errorField: c[`${prefix}_ERROR_FIELD`],
    successField: c[`${prefix}_SUCCESS_FIELD`],
    successValues: c[`${prefix}_SUCCESS_VALUES`]
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    idField: c[`${prefix}_ID_FIELD`],
    timeoutMs: c[`${prefix}_TIMEOUT_MS`],
    ratePerSecond: c[`${prefix}_RATE_PER_SECOND`],
  };
}

/** 0912345678 → 84912345678 when the gateway wants the country code. */
export function gatewayPhone(phone: string, format: 'local' | 'international'): string {
  const digits = phone.replace(/\D/g, '');
  const local = digits.startsWith('84') && digits.length >= 11 ? `0${digits.slice(2)}` : digits;
  return format === 'local' ? local : `84${local.replace(/^0/, '')}`;
}

/**
 * A brandname SMS gateway over HTTP (VNPT, Viettel, VMG, eSMS... each with its own body): the
 * request body is a JSON template, the answer is read through configurable paths. A non-2xx
 * status, a non-empty error field, or a success field without an accepted value is a failure.
 */
export class SmsHttpProvider implements NotificationProvider {
  readonly ratePerSecond: number;

  constructor(
    readonly name: string,
    private readonly s: SmsGatewaySettings,
  ) {
    this.ratePerSecond = s.ratePerSecond;
  }

  async send(m: OutgoingMessage): Promise<SendResult> {
    const values: Record<string, string> = {
      phone: gatewayPhone(m.destination, this.s.phoneFormat),
      text: m.body,
      brandname: this.s.brandname ?? '',
      username: this.s.username ?? '',
      password: this.s.password ?? '',
      messageId: m.id,
    };
    // Each value goes in JSON-escaped, so a quote or a line break in the text cannot break the body.
    const body = this.s.bodyTemplate.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, k: string) =>
      JSON.stringify(values[k] ?? '').slice(1, -1),
    );
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      accept: 'application/json',
      // The same message keeps its reference on every attempt (also {{messageId}} in the body).
      [IDEMPOTENCY_HEADER]: m.id,
    };
    if (this.s.auth === 'basic')
      headers['authorization'] =
        `Basic ${Buffer.from(`${this.s.username ?? ''}:${this.s.password ?? ''}`).toString('base64')}`;
    if (this.s.auth === 'bearer') headers['authorization'] = `Bearer ${this.s.token ?? ''}`;
    const res = await postWithTimeout(this.s.url, { headers, body }, this.s.timeoutMs);
    const text = await res.text().catch(() => '');
    if (!res.ok) throw new ProviderError(`gateway answered HTTP ${res.status}`);
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const error = atPath(json, this.s.errorField);
    if (isErrorValue(error))
      throw new ProviderError(`gateway error ${this.s.errorField}=${JSON.stringify(error).slice(0, 200)}`);
    if (this.s.successField) {
      const ok = atPath(json, this.s.successField);
      if (!this.s.successValues.includes(String(ok))) {
        throw new ProviderError(
          `gateway ${this.s.successField}=${JSON.stringify(ok ?? null).slice(0, 100)} is not a success value`,
        );
      }
    }
    const id = atPath(json, this.s.idField);
    return { providerMessageId: typeof id === 'string' || typeof id === 'number' ? String(id) : null };
  }
}
