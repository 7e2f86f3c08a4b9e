import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisFromUrl } from '@tthc/service-kit';
import { eventually } from '@tthc/testkit';
import type { Redis } from 'ioredis';

/**
 * REDIS_URL naming a Sentinel set (the production values): a process finds the master through the
 * sentinels, and so do the copies BullMQ makes of its connection. A redis-server and a sentinel of
 * the test's own (redis-server from PATH), never the shared server.
 */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

describe('a Redis Sentinel set as REDIS_URL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tthc-sentinel-'));
  const children: ChildProcess[] = [];
  const clients: Redis[] = [];
  let url: string;

  beforeAll(async () => {
    const [dataPort, sentinelPort] = [await freePort(), await freePort()];
    children.push(
      spawn('redis-server', ['--port', String(dataPort), '--bind', '127.0.0.1', '--save', '', '--dir', dir], {
        stdio: 'ignore',
      }),
    );
    const conf = join(dir, 'sentinel.conf'); // a sentinel rewrites its configuration file
    writeFileSync(
      conf,
      [
        `port ${sentinelPort}`,
        'bind 127.0.0.1',
        `sentinel monitor tthc-master 127.0.0.1 ${dataPort} 1`,
        '',
      ].join('\n'),
    );
    children.push(spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' }));
    url = `redis+sentinel://127.0.0.1:${sentinelPort}/tthc-master/2`;
    // the sentinel answers for the master once it has seen it
    await eventually(
      async () => {
        const probe = redisFromUrl(url, {
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        probe.on('error', () => undefined);
        try {
          await probe.connect();
          return (await probe.ping()) === 'PONG' ? true : undefined;
        } catch {
          return undefined;
        } finally {
          probe.disconnect();
        }
      },
      { timeoutMs: 20_000, what: 'the sentinel answering for the master' },
    );
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
    for (const child of children) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('reaches the master through the sentinels, in the database the URL names, copies included', async () => {
    const redis = redisFromUrl(url, { maxRetriesPerRequest: null });
    clients.push(redis);
    await redis.set('tthc:sentinel-probe', 'xin chào');
    const copy = redis.duplicate(); // what BullMQ does for its blocking connections
    clients.push(copy);
    expect(await copy.get('tthc:sentinel-probe')).toBe('xin chào');
    expect((await redis.info('keyspace')).match(/^db(\d+):/m)?.[1]).toBe('2');
    const [role] = (await redis.role()) as [string];
    expect(role).toBe('master');
  });
});
