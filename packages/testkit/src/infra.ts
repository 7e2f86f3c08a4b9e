import { existsSync } from 'node:fs';
import net from 'node:net';
import http from 'node:http';
import pg from 'pg';

export interface TestInfra {
  /** A Postgres URL of a role that may create databases (the "admin" connection). */
  adminUrl: string;
  redisUrl: string;
  /** Stops whatever this process started (containers); no-op for servers it found. */
  stop: () => Promise<void>;
  source: string;
}

function tcpAnswers(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** True when a Docker daemon answers on its socket (the CLI alone is not enough). */
export async function dockerDaemonAnswers(): Promise<boolean> {
  const socketPath = (process.env['DOCKER_HOST'] ?? '').startsWith('unix://')
    ? (process.env['DOCKER_HOST'] as string).slice('unix://'.length)
    : '/var/run/docker.sock';
  if (!existsSync(socketPath)) return false;
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: '/_ping', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

const LOCAL_PG = 'postgres://postgres@127.0.0.1:5432/postgres';
const LOCAL_REDIS = 'redis://127.0.0.1:6379';

/**
 * Where the tests get a real Postgres and a real Redis: TEST_DATABASE_URL / TEST_REDIS_URL when
 * set; else Testcontainers when a Docker daemon answers; else servers on their standard local
 * ports. It never falls back to a fake: without a server it fails fast, saying what to do.
 */
export async function resolveTestInfra(env: NodeJS.ProcessEnv = process.env): Promise<TestInfra> {
  let adminUrl = env['TEST_DATABASE_URL'];
  let redisUrl = env['TEST_REDIS_URL'];
  const stops: (() => Promise<void>)[] = [];
  const sources: string[] = [];
  if ((!adminUrl || !redisUrl) && (await dockerDaemonAnswers())) {
    if (!adminUrl) {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      const c = await new PostgreSqlContainer('postgres:17-alpine').start();
      adminUrl = c.getConnectionUri();
      stops.push(async () => void (await c.stop()));
      sources.push('postgres: testcontainers');
    }
    if (!redisUrl) {
      const { RedisContainer } = await import('@testcontainers/redis');
      const c = await new RedisContainer('redis:7-alpine').start();
      redisUrl = c.getConnectionUrl();
      stops.push(async () => void (await c.stop()));
      sources.push('redis: testcontainers');
    }
  }
  if (!adminUrl) {
    if (!(await postgresAnswers(LOCAL_PG))) {
      throw new Error(
        'no Postgres for the tests: set TEST_DATABASE_URL, run a Docker daemon, or start Postgres on 127.0.0.1:5432 (user postgres, trust auth)',
      );
    }
    adminUrl = LOCAL_PG;
    sources.push('postgres: local');
  }
  if (!redisUrl) {
    if (!(await tcpAnswers('127.0.0.1', 6379))) {
      throw new Error(
        'no Redis for the tests: set TEST_REDIS_URL, run a Docker daemon, or start redis-server on 127.0.0.1:6379',
      );
    }
    redisUrl = LOCAL_REDIS;
    sources.push('redis: local');
  }
  return {
    adminUrl,
    redisUrl,
    source: sources.join(', ') || 'environment',
    stop: async () => {
      for (const s of stops) await s();
    },
  };
}
