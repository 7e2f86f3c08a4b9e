export * from './outbox';
export * from './relay';
export * from './consumer';
export * from './redis';
export * from './job-worker';
