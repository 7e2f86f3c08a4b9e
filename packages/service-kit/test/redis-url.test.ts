import { baseConfigSchema } from '../src/config';
import { redisOptionsFromUrl } from '../src/redis-url';

describe('REDIS_URL', () => {
  it('leaves a plain redis:// or rediss:// URL to ioredis', () => {
    expect(redisOptionsFromUrl('redis://:s3cret@redis.internal:6379/2')).toBe(
      'redis://:s3cret@redis.internal:6379/2',
    );
    expect(redisOptionsFromUrl('rediss://cache.example.vn:6380')).toBe('rediss://cache.example.vn:6380');
  });

  it('reads a Sentinel set: the sentinels, the master name, the password, the database', () => {
    expect(
      redisOptionsFromUrl(
        'redis+sentinel://:p%40ss@sentinel-0.redis:26379,sentinel-1.redis:26380,sentinel-2.redis/tthc-master/3?sentinelPassword=sp',
      ),
    ).toEqual({
      sentinels: [
        { host: 'sentinel-0.redis', port: 26379 },
        { host: 'sentinel-1.redis', port: 26380 },
        { host: 'sentinel-2.redis', port: 26379 },
      ],
      name: 'tthc-master',
      password: 'p@ss',
      db: 3,
      sentinelPassword: 'sp',
    });
  });

  it('turns TLS on for the sentinels and the servers with rediss+sentinel://', () => {
    expect(redisOptionsFromUrl('rediss+sentinel://user:pw@[fd00::1]:26379/mymaster')).toEqual({
      sentinels: [{ host: 'fd00::1', port: 26379 }],
      name: 'mymaster',
      username: 'user',
      password: 'pw',
      tls: {},
      enableTLSForSentinelMode: true,
    });
  });

  it('refuses a sentinel URL without a master name or with a bad port', () => {
    expect(() => redisOptionsFromUrl('redis+sentinel://sentinel-0:26379')).toThrow(/master/);
    expect(() => redisOptionsFromUrl('redis+sentinel://sentinel-0:99999/m')).toThrow(/sentinel-0:99999/);
  });

  it('is what the config schema accepts, and nothing else', () => {
    const base = { DATABASE_URL: 'postgres://x', INTERNAL_AUTH_SECRET: 'x'.repeat(32) };
    for (const url of [
      'redis://r:6379',
      'rediss://r',
      'redis+sentinel://s:26379/m',
      'rediss+sentinel://s/m',
    ]) {
      expect(baseConfigSchema.safeParse({ ...base, REDIS_URL: url }).success).toBe(true);
    }
    for (const url of ['http://r:6379', 'sentinel://s/m', 'redis+cluster://r']) {
      expect(baseConfigSchema.safeParse({ ...base, REDIS_URL: url }).success).toBe(false);
    }
  });
});
