export * from './outbox';
export * from './relay';
export * from './inbox';
export * from './consumer';
export * from './dead-letters';
export * from './redis';
export * from './job-request';
export * from './job-worker';
