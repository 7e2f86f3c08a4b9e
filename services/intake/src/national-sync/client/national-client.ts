import { answersJson, isTransientStatus } from '@tthc/service-kit';
import type { NationalSyncConfig } from '../national-sync.config';

/**
 * Why a call failed, and whether trying again may help: a timeout, a dropped connection, a 5xx,
 * a 429 or an answer that is not JSON (an HTML error page of a proxy) may pass; a 4xx refusal of
 * the record will not until something changes (the record, the mapping, the credentials).
 */
export class NationalCallError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'NationalCallError';
  }
}

type ClientConfig = Pick<
  NationalSyncConfig,
  | 'NATIONAL_SYNC_URL'
  | 'NATIONAL_SYNC_TOKEN_URL'
  | 'NATIONAL_SYNC_CLIENT_ID'
  | 'NATIONAL_SYNC_CLIENT_SECRET'
  | 'NATIONAL_SYNC_SCOPE'
  | 'NATIONAL_SYNC_TIMEOUT_MS'
>;

/** Token lifetime kept in hand: a token this close to its expiry is renewed before use. */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * The national endpoints over HTTP, authenticated with an OAuth2 client-credentials token
 * (RFC 6749 §4.4) held until shortly before it expires and renewed once when a call answers 401.
 * Every call has a time limit; an answer is read only when it says it is JSON.
 */
export class NationalClient {
  private token: { value: string; expiresAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(
    private readonly config: ClientConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** POSTs one record; resolves when the national side accepted it. */
  async push(path: string, body: Record<string, unknown>): Promise<void> {
    await this.call('POST', path, body);
  }

  /** GETs the query endpoint with its parameters; the parsed JSON answer. */
  async query(path: string, params: Record<string, string>): Promise<unknown> {
    const qs = new URLSearchParams(params).toString();
    return this.call('GET', `${path}?${qs}`);
  }

  private async call(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    renewed = false,
  ): Promise<unknown> {
    const token = await this.bearer();
    const res = await this.fetch(
      new URL(path.replace(/^\//, ''), withSlash(this.config.NATIONAL_SYNC_URL!)),
      {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
    );
    if (res.status === 401 && !renewed) {
      await res.body?.cancel();
      this.token = null;
      return this.call(method, path, body, true);
    }
    return readAnswer(res, `${method} ${path.split('?')[0]}`);
  }

  /** A valid token: the one held, or a new one (one request at a time however many calls wait). */
  private async bearer(): Promise<string> {
    if (this.token && this.token.expiresAt - EXPIRY_MARGIN_MS > this.now()) return this.token.value;
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async fetchToken(): Promise<string> {
    const c = this.config;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (c.NATIONAL_SYNC_SCOPE) form.set('scope', c.NATIONAL_SYNC_SCOPE);
    const basic = Buffer.from(
      `${encodeURIComponent(c.NATIONAL_SYNC_CLIENT_ID ?? '')}:${encodeURIComponent(c.NATIONAL_SYNC_CLIENT_SECRET ?? '')}`,
    ).toString('base64');
    const res = await this.fetch(c.NATIONAL_SYNC_TOKEN_URL!, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
    });
    const answer = (await readAnswer(res, 'token')) as { access_token?: unknown; expires_in?: unknown };
    if (typeof answer.access_token !== 'string' || answer.access_token === '')
      throw new NationalCallError('token endpoint answered without access_token', false, res.status);
    const seconds = Number(answer.expires_in);
    const lifetime = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 300_000;
    this.token = { value: answer.access_token, expiresAt: this.now() + lifetime };
    return answer.access_token;
  }

  private async fetch(url: string | URL, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(this.config.NATIONAL_SYNC_TIMEOUT_MS) });
    } catch (err) {
      const e = err as Error;
      const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError';
      throw new NationalCallError(
        timedOut
          ? `no answer within ${this.config.NATIONAL_SYNC_TIMEOUT_MS} ms`
          : `connection failed: ${(e.cause as Error | undefined)?.message ?? e.message}`,
        true,
      );
    }
  }
}

const withSlash = (base: string) => (base.endsWith('/') ? base : `${base}/`);

/** The JSON answer of a 2xx; otherwise the failure, told retryable or not. */
async function readAnswer(res: Response, what: string): Promise<unknown> {
  const type = res.headers.get('content-type') ?? '';
  const text = await res.text();
  const json = answersJson(res);
  const excerpt = json
    ? text.slice(0, 300)
    : `answered ${type.split(';')[0] || 'a body without content type'}, not JSON`;
  if (res.status >= 200 && res.status < 300) {
    if (res.status === 204 || text === '') return {};
    if (!json) throw new NationalCallError(`${what}: ${res.status} ${excerpt}`, true, res.status);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new NationalCallError(`${what}: ${res.status} answered malformed JSON`, true, res.status);
    }
  }
  // A 401 is retried too: the token is renewed first.
  const retryable = isTransientStatus(res.status) || res.status === 401 || !json;
  throw new NationalCallError(`${what}: HTTP ${res.status} ${excerpt}`, retryable, res.status);
}
