/** End-to-end tests: the built API (serving the built console) on a real PostgreSQL, driven by Debian's Chromium. */
module.exports = {
  displayName: 'e2e',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.e2e.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  // The Zendesk simulator and Anthropic stub, from source.
  moduleNameMapper: { '^@pim/testing$': '<rootDir>/../../libs/testing/src/index.ts' },
  globalSetup: '<rootDir>/support/global-setup.ts',
  globalTeardown: '<rootDir>/support/global-teardown.ts',
  maxWorkers: 1,
  testTimeout: 60_000,
};
