/**
 * One Jest run for the whole monorepo, in three tiers (projects):
 *  - unit: pure rules, no database, no Redis, no network (`npm run test:unit`, seconds);
 *  - integration: a service or package against a real Postgres and Redis (each file its own
 *    database cloned from a template the global setup migrates once, and its own Redis prefix);
 *  - e2e: the five processes wired together, called through the gateway, and the quality suites.
 */
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': swc },
  moduleNameMapper: {
    '^@tthc/(contracts|service-kit|db|bus|testkit|calendar|local-infra|client)$': '<rootDir>/packages/$1/src',
  },
  // A few dependencies ship ESM only; Jest on Node 20 cannot require() them untransformed.
  transformIgnorePatterns: ['/node_modules/(?!(.*/node_modules/)?(cookie|content-disposition)/)'],
};

/** Tests of pure rules: they import no harness and open nothing. */
const UNIT = [
  '<rootDir>/packages/calendar/test/**/*.test.ts',
  '<rootDir>/packages/contracts/test/**/*.test.ts',
  '<rootDir>/packages/service-kit/test/**/*.test.ts',
  '<rootDir>/services/*/test/unit/**/*.test.ts',
  // the deployment files (compose, Dockerfile, the Kubernetes release), read and validated offline
  '<rootDir>/tests/quality/deploy-*.test.ts',
];

const withInfra = {
  ...shared,
  globalSetup: '<rootDir>/tests/setup/global-setup.ts',
  globalTeardown: '<rootDir>/tests/setup/global-teardown.ts',
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: UNIT },
    {
      ...withInfra,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/packages/*/test/**/*.test.ts',
        '<rootDir>/services/*/test/**/*.test.ts',
        // tests of a package that cannot import the test kit without a cycle (the kit depends on it)
        '<rootDir>/tests/integration/**/*.test.ts',
      ],
      testPathIgnorePatterns: [
        '/node_modules/',
        '/packages/(calendar|contracts|service-kit)/test/',
        '/services/[^/]+/test/unit/',
      ],
    },
    {
      ...withInfra,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/**/*.test.ts'],
      testPathIgnorePatterns: [
        '/node_modules/',
        '<rootDir>/tests/integration/',
        '<rootDir>/tests/quality/deploy-',
      ],
    },
  ],
  reporters: ['default', '<rootDir>/tests/setup/summary-reporter.js'],
  testTimeout: 30_000,
  maxWorkers: process.env.CI ? 2 : '50%',
};
