/** Unit tests: fast, no network. Integration (real S3 server) and fuzz suites have their own configs. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/integration/', '<rootDir>/test/fuzz/'],
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  cacheDirectory: '<rootDir>/.jest-cache',
  // Jest's default leaves one core idle (cores - 1): on the two-core CI machine that is one worker, 300 s instead of
  // 130 s for the suite; most of it is CPU-bound synthesis, so every core is used.
  maxWorkers: '100%',
};
