import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { TEST_ENV } from './database';

export interface TestRedis {
  url: string;
  /** A key prefix of this test file's own: queues and keys never meet another file's. */
  prefix: string;
  /** Deletes every key under the prefix. */
  clean: () => Promise<void>;
}

export function createTestRedis(env: NodeJS.ProcessEnv = process.env): TestRedis {
  const url = env[TEST_ENV.redisUrl];
  if (!url) throw new Error('test harness not set up: run the tests through the root jest config');
  const prefix = `tthc-test:${randomBytes(5).toString('hex')}`;
  return {
    url,
    prefix,
    clean: async () => {
      const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
      try {
        await redis.connect();
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
          cursor = next;
          if (keys.length > 0) await redis.unlink(...keys);
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    },
  };
}
