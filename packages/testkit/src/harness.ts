import { createDb, type Db } from '@tthc/db';
import { signIdentity } from '@tthc/service-kit';
import type { Identity } from '@tthc/contracts';
import { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import { createTestDatabase, TEST_ENV } from './database';
import { createTestRedis } from './redis';

/** The secret tests sign identity assertions with (never used outside tests). */
export const TEST_INTERNAL_SECRET = 'test-only-internal-auth-secret-0123456789abcdef';

export interface TestResources<DB> {
  databaseUrl: string;
  /** The Redis this file's keys live on (with `bus.prefix`), for a process the test starts. */
  redisUrl: string;
  db: Db<DB>;
  redis: Redis;
  bus: { redis: Redis; prefix: string };
  logger: Logger;
  /** Opens another pool on the same database, on another service's schema. */
  dbFor: <T>(schema: string) => Db<T>;
  close: () => Promise<void>;
}

/**
 * A real Postgres database (cloned from the migrated template) and a Redis key prefix of this
 * test file's own, with a silent logger. Call close() in afterAll.
 */
export async function openTestResources<DB>(
  schema: string,
  /** Another Redis than the run's (a fault test that stops its own server). */
  options: { redisUrl?: string } = {},
): Promise<TestResources<DB>> {
  const database = await createTestDatabase();
  const redisInfo = createTestRedis(
    options.redisUrl ? { ...process.env, [TEST_ENV.redisUrl]: options.redisUrl } : process.env,
  );
  const pools: Db<unknown>[] = [];
  const dbFor = <T>(s: string): Db<T> => {
    const db = createDb<T>({ connectionString: database.url, schema: s, maxConnections: 5 });
    pools.push(db as Db<unknown>);
    return db;
  };
  const db = dbFor<DB>(schema);
  const redis = new Redis(redisInfo.url, { maxRetriesPerRequest: null });
  return {
    databaseUrl: database.url,
    redisUrl: redisInfo.url,
    db,
    redis,
    bus: { redis, prefix: redisInfo.prefix },
    logger: pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }),
    dbFor,
    close: async () => {
      await Promise.all(pools.map((p) => p.destroy()));
      await redisInfo.clean();
      redis.disconnect();
      await database.drop();
    },
  };
}

export const anonymous: Identity = {
  sub: 'anonymous',
  kind: 'anonymous',
  roles: [],
  agencyCode: null,
  agencyScope: null,
};

/** Desk software calling intake with an API key, as the gateway asserts it (no agency of its own). */
export const DESK_SOFTWARE = {
  sub: 'key:desk-software:Ab3dE6gH',
  kind: 'system',
  roles: ['desk_officer'],
  agencyCode: null,
  agencyScope: null,
} as const satisfies Parameters<typeof signIdentity>[1];

/** Headers carrying a signed identity assertion, as the gateway would send them. */
export async function identityHeaders(
  identity: Parameters<typeof signIdentity>[1] = anonymous,
): Promise<Record<string, string>> {
  return { 'x-tthc-identity': await signIdentity(TEST_INTERNAL_SECRET, identity) };
}
