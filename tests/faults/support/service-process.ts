import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, TEST_INTERNAL_SECRET, type TestResources } from '@tthc/testkit';

const ROOT = join(__dirname, '../../..');

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts a service's built main (`services/<name>/dist/main.js`, built by the test command) as a
 * process of its own on the test file's database and Redis prefix, and waits until it is ready.
 */
export async function startService(
  service: 'intake' | 'kpi',
  port: number,
  resources: TestResources<unknown>,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(ROOT, `services/${service}/dist/main.js`)], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      DATABASE_URL: resources.databaseUrl,
      REDIS_URL: resources.redisUrl,
      QUEUE_PREFIX: resources.bus.prefix,
      INTERNAL_AUTH_SECRET: TEST_INTERNAL_SECRET,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      NOTIFY_LOG_FILE: join(tmpdir(), `tthc-fault-${process.pid}-${port}.jsonl`),
      NOTIFY_SCAN_EVERY_MS: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  // Its log (warnings and errors only), kept for the message when it exits unexpectedly.
  child.stdout?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  child.once('exit', (code, signal) => {
    if (signal !== 'SIGKILL' && process.env['FAULT_DEBUG'])
      console.error(`${service} exited ${code}: ${stderr}`);
  });
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`${service} exited ${child.exitCode}: ${stderr}`);
      const r = await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined);
      return r?.status === 200 ? true : undefined;
    },
    { what: `${service} to be ready`, timeoutMs: 60_000 },
  );
  return child;
}

/** SIGKILL, and wait for the process to be gone. */
export async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}
