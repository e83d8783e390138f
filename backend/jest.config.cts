module.exports = {
  displayName: 'backend',
  preset: '../jest.preset.js',
  testEnvironment: 'node',
  // ES-only packages run bundled to CommonJS (see jest.esm-to-cjs.cjs).
  globalSetup: './jest.esm-to-cjs.cjs',
  moduleNameMapper: { '^openid-client$': '<rootDir>/../tmp/jest-esm/openid-client.cjs' },
  transform: {
    // The swagger plugin as in the build: the app's /api/docs-json under test is the document production serves.
    '^.+\\.[tj]s$': [
      'ts-jest',
      {
        tsconfig: '<rootDir>/tsconfig.spec.json',
        astTransformers: { before: [{ path: require.resolve('./swagger-plugin.cjs') }] },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: '../coverage/backend',
  // Integration suites start the app against real PostgreSQL (and PGlite, ~800 MB): keep workers few.
  maxWorkers: 2,
  testTimeout: 60_000,
};
