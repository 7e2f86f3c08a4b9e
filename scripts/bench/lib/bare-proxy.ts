/**
 * The unavoidable hop, as a benchmark's ceiling for a proxy: a bare `node:http` server that
 * forwards every request to UPSTREAM_URL through an undici keep-alive pool (as the gateway's is:
 * 64 connections, no pipelining), headers passed as they come. No authentication, no logging, no
 * limits, no tracing: what a proxy in Node costs at least, on the same machine.
 *
 *   UPSTREAM_URL=http://127.0.0.1:3001 PORT=8080 HOST=127.0.0.1 node --import tsx scripts/bench/lib/bare-proxy.ts
 */
import http from 'node:http';
import { pipeline } from 'node:stream';
import { Pool } from 'undici';

const upstream = process.env['UPSTREAM_URL'];
if (!upstream) throw new Error('UPSTREAM_URL is required');
const pool = new Pool(upstream, { connections: 64, pipelining: 1, keepAliveTimeout: 30_000 });

// Headers of one connection only (RFC 9110 §7.6.1): not forwarded, either way.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
]);

function forwardable(headers: http.IncomingHttpHeaders | Record<string, string | string[] | undefined>) {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  return out;
}

const server = http.createServer((req, res) => {
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  pool
    .request({
      method: req.method as 'GET',
      path: req.url ?? '/',
      headers: forwardable(req.headers),
      body: hasBody ? req : null,
    })
    .then(
      ({ statusCode, headers, body }) => {
        res.writeHead(statusCode, forwardable(headers));
        pipeline(body, res, () => undefined);
      },
      () => {
        res.writeHead(502).end();
      },
    );
});
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env['PORT'] ?? 0), process.env['HOST'] ?? '127.0.0.1');

process.once('SIGTERM', () => {
  server.close();
  void pool.close();
});
