/** One Jest run for the whole monorepo: the global setup migrates a template database once. */
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' }, sourceMaps: 'inline' },
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': swc },
  moduleNameMapper: {
    '^@tthc/(contracts|service-kit|db|bus|testkit|calendar)$': '<rootDir>/packages/$1/src',
  },
  // A few dependencies ship ESM only; Jest on Node 20 cannot require() them untransformed.
  transformIgnorePatterns: ['/node_modules/(?!(.*/node_modules/)?(cookie|content-disposition)/)'],
  testMatch: [
    '<rootDir>/packages/*/test/**/*.test.ts',
    '<rootDir>/services/*/test/**/*.test.ts',
    '<rootDir>/tests/**/*.test.ts',
  ],
  globalSetup: '<rootDir>/tests/setup/global-setup.ts',
  globalTeardown: '<rootDir>/tests/setup/global-teardown.ts',
  reporters: ['default', '<rootDir>/tests/setup/summary-reporter.js'],
  testTimeout: 30_000,
  maxWorkers: process.env.CI ? 2 : '50%',
};
