import path from 'node:path';
import { ensurePostgres, ensureRedis, REPO_ROOT, type Finder, type Log } from '@tthc/local-infra';

export interface TestInfra {
  /** A Postgres URL of a role that may create databases (the "admin" connection). */
  adminUrl: string;
  redisUrl: string;
  /** Stops whatever this process started (containers, embedded servers); no-op for servers it found. */
  stop: () => Promise<void>;
  source: string;
}

/** Ports of the servers the tests start themselves: apart from `npm start`'s (54329, 6390). */
const TEST_PG_PORT = 54339;
const TEST_REDIS_PORT = 6391;

let runtime: Promise<boolean> | null = null;

/**
 * True when Testcontainers finds a container runtime (Docker, Podman, Colima, a remote host,
 * ~/.testcontainers.properties...): its own detection, asked once per run.
 */
export function containerRuntimeAvailable(): Promise<boolean> {
  runtime ??= (async () => {
    try {
      const { getContainerRuntimeClient } = await import('testcontainers');
      await getContainerRuntimeClient();
      return true;
    } catch {
      return false;
    }
  })();
  return runtime;
}

const postgresContainer: Finder = async () => {
  if (!(await containerRuntimeAvailable())) return null;
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const c = await new PostgreSqlContainer('postgres:17-alpine').start();
  return { url: c.getConnectionUri(), stop: async () => void (await c.stop()), embedded: true };
};

const redisContainer: Finder = async () => {
  if (!(await containerRuntimeAvailable())) return null;
  const { RedisContainer } = await import('@testcontainers/redis');
  const c = await new RedisContainer('redis:7-alpine').start();
  return { url: c.getConnectionUrl(), stop: async () => void (await c.stop()), embedded: true };
};

const log: Log = (msg) => process.stderr.write(`[test infra] ${msg}\n`);

/**
 * Where the tests get a real Postgres and a real Redis, in the same order as `npm start`
 * (@tthc/local-infra): TEST_DATABASE_URL / TEST_REDIS_URL when set; else servers on their
 * standard local ports (127.0.0.1:5432 as user postgres without a password, 127.0.0.1:6379);
 * else Testcontainers when it finds a container runtime (first, with TEST_INFRA=testcontainers);
 * else (at once, with TEST_INFRA=embedded) an embedded Postgres (under .data/test-pg) and
 * redis-server from PATH. It never falls
 * back to a fake: without a server it fails fast, saying what to do.
 */
export async function resolveTestInfra(env: NodeJS.ProcessEnv = process.env): Promise<TestInfra> {
  const preferContainers = env['TEST_INFRA'] === 'testcontainers';
  // TEST_INFRA=embedded: servers of the run's own, even when others answer (tries that path)
  const own = env['TEST_INFRA'] === 'embedded';
  const pg = await ensurePostgres({
    url: env['TEST_DATABASE_URL'],
    database: 'postgres',
    probeUrl: own ? 'off' : undefined,
    containers: own ? undefined : postgresContainer,
    preferContainers,
    dataDir: path.join(REPO_ROOT, '.data', 'test-pg'),
    port: TEST_PG_PORT,
    log,
  });
  try {
    const redis = await ensureRedis({
      url: env['TEST_REDIS_URL'],
      probeUrl: own ? 'off' : undefined,
      containers: own ? undefined : redisContainer,
      preferContainers,
      port: TEST_REDIS_PORT,
      log,
      help: 'no Redis for the tests: set TEST_REDIS_URL, start redis-server on 127.0.0.1:6379, run a container runtime, or install redis-server',
    });
    return {
      adminUrl: pg.url,
      redisUrl: redis.url,
      source: `postgres: ${pg.source}, redis: ${redis.source}`,
      stop: async () => {
        await redis.stop();
        await pg.stop();
      },
    };
  } catch (err) {
    await pg.stop();
    throw err;
  }
}
