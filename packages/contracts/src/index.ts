export * from './procedure';
export * from './events';
export * from './queues';
export * from './figures';
export * from './jobs';
export * from './reconciliation';
export * from './identity';
export * from './procedure-statistics';
