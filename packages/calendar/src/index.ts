export * from './vn-date';
