import type { Audience, Channel } from '../db/notification.schema';

/** What a provider is asked to deliver. The destination is personal data: never logged. */
export interface OutgoingMessage {
  id: string;
  channel: Channel;
  audience: Audience;
  event: string;
  dossierCode: string | null;
  destination: string;
  recipientRef: string | null;
  subject: string | null;
  body: string;
  createdAt: Date;
}

export interface SendResult {
  /** The provider's own id of the message, which its delivery callbacks name. */
  providerMessageId: string | null;
}

/** One way out for a channel: an SMS gateway, an SMTP server, a webhook, a log file. */
export interface NotificationProvider {
  readonly name: string;
  /** Sends per second across every replica; null for no limit. */
  readonly ratePerSecond: number | null;
  send(message: OutgoingMessage): Promise<SendResult>;
  close?(): Promise<void>;
}

/**
 * A failed send. `permanent` when another try cannot succeed (the provider refused the
 * recipient for good): the message fails at once instead of retrying. Messages are written by
 * the module, never with the destination in them.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
    /**
     * The request may have reached the provider but no answer came (a timeout, a dropped
     * connection): the message may be on its way. Another provider is tried only after
     * NOTIFY_UNANSWERED_FAILOVER_MS, so the citizen does not get it twice.
     */
    readonly unanswered = false,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** The value at a dotted path of a parsed JSON answer ("result.code"), or undefined. */
export function atPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split('.').filter(Boolean)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A field that signals an error when it holds anything but an empty value, 0 or false. */
export function isErrorValue(value: unknown): boolean {
  if (
    value === undefined ||
    value === null ||
    value === false ||
    value === 0 ||
    value === '' ||
    value === '0'
  )
    return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** Connection failures that mean the request never reached the provider. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** The header an HTTP provider may use to recognise a repeated send of the same message. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/**
 * POSTs with a deadline; a timeout or a refused connection becomes a ProviderError. A timeout or
 * a connection dropped after the request went out is `unanswered`: the provider may have taken it.
 */
export async function postWithTimeout(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { ...init, method: 'POST', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const code = e.cause?.code;
    const reason = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (code ?? e.message);
    throw new ProviderError(`request failed: ${reason}`, false, !(code && NEVER_SENT.has(code)));
  }
}
