import { Redis, type RedisOptions } from 'ioredis';

/**
 * REDIS_URL of every process: `redis://` or `rediss://` for one server (a managed Redis), or
 * `redis+sentinel://[:password@]host:26379,host2:26379/<master>[/<db>]` (`rediss+sentinel://` for
 * TLS) for a Redis Sentinel set: the processes ask the sentinels for the master and follow a
 * failover. The password (URL-encoded) is the data servers'; `?sentinelPassword=` gives the
 * sentinels' own when they have one.
 */
export const REDIS_URL_PATTERN = /^rediss?(\+sentinel)?:\/\//;

/** The ioredis options of a REDIS_URL (a plain URL is left to ioredis itself). */
export function redisOptionsFromUrl(url: string): string | RedisOptions {
  const m = /^(rediss?)\+sentinel:\/\/(?:([^@/]*)@)?([^/?]+)\/([^/?]+)(?:\/(\d+))?\/?(?:\?(.*))?$/.exec(url);
  if (!m) {
    if (/^rediss?\+sentinel:/.test(url)) {
      throw new Error(
        'REDIS_URL: a sentinel URL is redis+sentinel://[:password@]host:port,…/<master>[/<db>]',
      );
    }
    return url;
  }
  const [, scheme, auth, hosts, master, db, query] = m;
  const sentinels = hosts!.split(',').map((hostPort) => {
    const at = hostPort.lastIndexOf(':');
    const host = at > 0 ? hostPort.slice(0, at) : hostPort;
    const port = at > 0 ? Number(hostPort.slice(at + 1)) : 26379;
    if (!host || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`REDIS_URL: bad sentinel address "${hostPort}"`);
    }
    return { host: host.replace(/^\[|\]$/g, ''), port };
  });
  const options: RedisOptions = { sentinels, name: decodeURIComponent(master!) };
  if (auth) {
    const colon = auth.indexOf(':');
    const username = colon >= 0 ? auth.slice(0, colon) : '';
    const password = colon >= 0 ? auth.slice(colon + 1) : auth;
    if (username) options.username = decodeURIComponent(username);
    if (password) options.password = decodeURIComponent(password);
  }
  if (db) options.db = Number(db);
  const sentinelPassword = new URLSearchParams(query ?? '').get('sentinelPassword');
  if (sentinelPassword) options.sentinelPassword = sentinelPassword;
  if (scheme === 'rediss') {
    options.tls = {};
    options.enableTLSForSentinelMode = true;
  }
  return options;
}

/** A Redis connection from REDIS_URL, with the caller's options (retries, lazy connect) on top. */
export function redisFromUrl(url: string, options: RedisOptions = {}): Redis {
  const parsed = redisOptionsFromUrl(url);
  return typeof parsed === 'string' ? new Redis(parsed, options) : new Redis({ ...parsed, ...options });
}
