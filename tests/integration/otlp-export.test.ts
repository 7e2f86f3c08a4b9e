import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * With TRACING_ENABLED, a process's spans leave over OTLP/HTTP for the collector the standard
 * variables name, with its headers and the process's service name, once the process shuts down
 * at the latest. The process is a real one (the built service-kit, as a service's main starts it):
 * the exporter loads Node's http client in a way Jest's module sandbox does not run.
 */

const PROCESS = `
const { trace } = require('@opentelemetry/api');
const { loadConfig, startTracing, tracingConfigSchema } = require('@tthc/service-kit');
const tracing = startTracing('intake', loadConfig(tracingConfigSchema, process.env));
trace.getTracer('test').startSpan('receive dossier').end();
tracing.shutdown().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
`;

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
let collector: Server;
const received: Received[] = [];

beforeAll(async () => {
  collector = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => collector.close(() => resolve())));

describe('exporting traces', () => {
  it('sends the spans to the configured OTLP endpoint with its headers and the service name', async () => {
    const { port } = collector.address() as AddressInfo;
    await promisify(execFile)(process.execPath, ['-e', PROCESS], {
      cwd: join(__dirname, '..', '..'),
      env: {
        PATH: process.env.PATH,
        TRACING_ENABLED: 'true',
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}/`,
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20collector-token',
      },
      timeout: 20_000,
    });

    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request!.path).toBe('/v1/traces');
    expect(request!.headers.authorization).toBe('Bearer collector-token');
    expect(request!.body).toContain('receive dossier');
    expect(request!.body).toContain('"stringValue":"intake"');
  });
});
