// @fastify/rate-limit ships its stores without type declarations.
declare module '@fastify/rate-limit/store/RedisStore' {
  import type { Redis } from 'ioredis';
  type Done = (err: Error | null, result?: { current: number; ttl: number }) => void;
  class RedisStore {
    constructor(continueExceeding: boolean, exponentialBackoff: boolean, redis: Redis, key?: string);
    incr(key: string, done: Done, timeWindow: number, max: number): void;
  }
  export = RedisStore;
}

declare module '@fastify/rate-limit/store/LocalStore' {
  type Done = (err: Error | null, result?: { current: number; ttl: number }) => void;
  class LocalStore {
    constructor(continueExceeding: boolean, exponentialBackoff: boolean, cache?: number);
    incr(key: string, done: Done, timeWindow: number, max: number): void;
  }
  export = LocalStore;
}
