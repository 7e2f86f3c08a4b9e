import { request, type Agent, type IncomingHttpHeaders } from 'node:http';
import { enc, validRequest, type BadCase, type ValidInputs } from './bad-inputs';
import type { Operation } from './spec';

/** What came back for one request, or why nothing did. */
export interface Outcome {
  status: number;
  contentType: string;
  text: string;
  body: unknown;
  headers: IncomingHttpHeaders;
  ms: number;
  error?: string;
}

export interface HttpRequest {
  method: string;
  /** Path and query, already encoded. */
  target: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** The request a case makes: the operation's valid request with the case's one change. */
export function requestFor(
  op: Operation,
  c: BadCase,
  valid: ValidInputs,
  baseHeaders: Record<string, string>,
  etag: string | undefined,
): HttpRequest {
  const good = validRequest(op, valid);
  const path = op.path.replace(
    /\{([^}]+)\}/g,
    (_, name: string) => c.path?.[name] ?? enc(valid.pathValue(op, name)),
  );
  const query = c.query ?? good.query.map(([k, v]) => `${k}=${v}`).join('&');
  const headers: Record<string, string> = {
    ...baseHeaders,
    ...good.headers,
    ...(etag ? { 'if-match': etag } : {}),
  };
  for (const [name, value] of Object.entries(c.headers ?? {})) {
    if (value === null) delete headers[name];
    else headers[name] = value;
  }
  const target = path + (query ? `?${query}` : '');
  const request: HttpRequest = { method: op.method, target: c.mangle ? c.mangle(target) : target, headers };
  if (op.method === 'GET' || op.method === 'HEAD') return request;
  const body = c.body ?? (op.body ? JSON.stringify(good.body) : undefined);
  if (body === undefined) return request;
  const contentType = c.contentType === undefined ? 'application/json' : c.contentType;
  if (contentType !== null) headers['content-type'] = contentType;
  return { ...request, body };
}

/**
 * Sends one request, by default on a connection of its own (no keep-alive): a case that leaves
 * a connection in a bad state must not make the next case fail for it (keep-alive has a test of
 * its own, with an `agent`). Anything unanswered after `timeoutMs` is an error.
 */
export function send(
  baseUrl: string,
  req: HttpRequest,
  timeoutMs: number,
  agent: Agent | false = false,
): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const fail = (error: string) =>
      resolve({
        status: 0,
        contentType: '',
        text: '',
        body: undefined,
        headers: {},
        ms: Date.now() - started,
        error,
      });
    const timer = setTimeout(() => {
      client.destroy();
      fail(`no answer within ${timeoutMs} ms`);
    }, timeoutMs);
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
    // host/port/path rather than a URL: a URL would normalise the dot segments some cases send.
    const { hostname, port } = new URL(baseUrl);
    const client = request(
      { host: hostname, port, path: req.target, method: req.method, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (err) => {
          clearTimeout(timer);
          fail(`${err.name}: ${err.message}`);
        });
        res.on('end', () => {
          clearTimeout(timer);
          // The answer may come before the whole body was sent (a refused upload): a connection of
          // our own is dropped rather than left half-written for the server to wait on.
          if (agent === false) client.destroy();
          const bytes = Buffer.concat(chunks);
          const contentType = String(res.headers['content-type'] ?? '');
          const text =
            /json|text|xml/.test(contentType) || contentType === ''
              ? bytes.toString('utf8')
              : `<${bytes.length} bytes of ${contentType}>`;
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          resolve({
            status: res.statusCode ?? 0,
            contentType,
            text,
            body,
            headers: res.headers,
            ms: Date.now() - started,
          });
        });
      },
    );
    client.on('error', (err) => {
      clearTimeout(timer);
      fail(`${err.name}: ${err.message}`);
    });
    client.end(req.body);
  });
}

/**
 * What is wrong with an answer to a bad input, or null when nothing is: no answer in time, a
 * 5xx, or a 4xx that is not an RFC 9457 problem with status, title and code.
 */
export function verdict(o: Outcome): string | null {
  if (o.error !== undefined) return `no answer: ${o.error}`;
  if (o.status >= 500) return `server error ${o.status}`;
  if (o.status < 400) return null;
  if (!o.contentType.toLowerCase().startsWith('application/problem+json'))
    return `${o.status} with content-type "${o.contentType}", not application/problem+json`;
  const p = o.body as { status?: unknown; title?: unknown; code?: unknown } | undefined;
  if (!p || typeof p !== 'object') return `${o.status} problem+json whose body is not a JSON object`;
  const missing = [
    p.status !== o.status ? `status (${JSON.stringify(p.status)} for HTTP ${o.status})` : '',
    typeof p.title !== 'string' || p.title === '' ? 'title' : '',
    typeof p.code !== 'string' || p.code === '' ? 'code' : '',
  ].filter(Boolean);
  return missing.length ? `${o.status} problem lacks ${missing.join(', ')}` : null;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

/** One line a reader can replay: method, path, case, what came back. */
export function describeFailure(
  op: Operation,
  c: BadCase,
  request: HttpRequest,
  o: Outcome,
  why: string,
): string {
  return `${op.method} ${op.path} [${c.name}] ${clip(request.target, 160)} → ${why}; ${o.status} ${o.contentType} ${clip(o.text, 400)}`;
}
