export * from './infra';
export * from './database';
export * from './redis';
export * from './wait';
export * from './harness';
