import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the stand-in answers pushes: accepts, fails (500, an HTML page, no answer), refuses for good, or accepts and loses. */
export type PushMode = 'ok' | 'error500' | 'html' | 'hang' | 'refuse' | 'lose';

/**
 * A local HTTP server speaking the documented shapes of the national portal: the OAuth2 token
 * endpoint (client credentials), the push endpoint (one record per POST, JSON) and the query
 * endpoint (GET /dossiers?agency=&updatedSince=&page=). It keeps every accepted push in order and
 * the latest record per dossier code, as the portal would show it.
 */
export class NationalPortalStandIn {
  mode: PushMode = 'ok';
  /** Every accepted push body, in the order it arrived. */
  readonly accepted: Record<string, unknown>[] = [];
  /** Calls to the push endpoint, accepted or not. */
  attempts = 0;
  tokensIssued = 0;
  readonly records = new Map<string, Record<string, unknown>>();
  private server: Server | undefined;
  private readonly hanging = new Set<ServerResponse>();

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const r of this.hanging) r.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** The national statuses of one dossier's accepted pushes, in order. */
  statusesOf(code: string): unknown[] {
    return this.accepted.filter((b) => b['MaHoSo'] === code).map((b) => b['TrangThaiHoSo']);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (req.method === 'POST' && url.pathname === '/token') {
      const form = new URLSearchParams(body);
      const basic = Buffer.from(
        (req.headers.authorization ?? '').replace(/^Basic /, ''),
        'base64',
      ).toString();
      if (form.get('grant_type') !== 'client_credentials' || basic !== 'syt-qnam:bi-mat-cua-tinh')
        return json(401, { error: 'invalid_client' });
      this.tokensIssued++;
      return json(200, {
        access_token: `token-${this.tokensIssued}`,
        token_type: 'Bearer',
        expires_in: 3600,
      });
    }
    if (!/^Bearer token-\d+$/.test(req.headers.authorization ?? ''))
      return json(401, { error: 'invalid_token' });
    if (req.method === 'POST' && url.pathname === '/dossiers') {
      this.attempts++;
      switch (this.mode) {
        case 'error500':
          return json(500, { error: 'internal' });
        case 'html':
          res.writeHead(502, { 'content-type': 'text/html' });
          return void res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
        case 'hang':
          this.hanging.add(res);
          return;
        case 'refuse':
          return json(422, { error: 'MaTTHC không có trong CSDL quốc gia' });
        case 'lose':
          return json(200, { status: 'ok' });
        case 'ok': {
          const record = JSON.parse(body) as Record<string, unknown>;
          this.accepted.push(record);
          this.records.set(String(record['MaHoSo']), record);
          return json(200, { status: 'ok' });
        }
      }
    }
    if (req.method === 'GET' && url.pathname === '/dossiers') {
      const agency = url.searchParams.get('agency');
      if (!agency || !url.searchParams.get('updatedSince'))
        return json(400, { error: 'agency and updatedSince required' });
      return json(200, {
        data: [...this.records.values()].filter((r) => r['MaCoQuan'] === agency),
        nextPage: null,
      });
    }
    json(404, { error: 'not found' });
  }
}
