module.exports = {
  displayName: 'backend',
  preset: '../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: '../coverage/backend',
  // Integration suites start the app against real PostgreSQL (and PGlite, ~800 MB): keep workers few.
  maxWorkers: 2,
  testTimeout: 60_000,
};
