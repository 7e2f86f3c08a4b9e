export * from './procedure';
export * from './events';
export * from './queues';
export * from './jobs';
export * from './identity';
