export { discover, isOff, type DiscoveryPlan, type Finder, type Found, type Source } from './discovery';
export { REPO_ROOT } from './paths';
export { ensurePostgres, embeddedPostgres, type PostgresOptions } from './postgres';
export { findLocalPostgres, LOCAL_POSTGRES_URL, withDatabase } from './postgres-client';
export { ensureRedis, embeddedRedis, LOCAL_REDIS_URL, type RedisOptions } from './redis';
export { pingRedis, type PingResult } from './redis-ping';
export { findOnPath, stopProcess, tcpAnswers, type Log } from './processes';
export { maskUrl, randomSecret } from './secrets';
