/** Fuzz suite: >= 100,000 generated cases per entry point (FUZZ_RUNS overrides). Not part of `npm test`. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/fuzz'],
  testMatch: ['**/*.fuzz.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
  setupFiles: ['<rootDir>/test/setup-env.ts', '<rootDir>/test/fuzz/setup-fuzz.ts'],
  cacheDirectory: '<rootDir>/.jest-cache',
  testTimeout: 1800000,
  // Each handler's 100,000 cases are independent files: use both cores.
  maxWorkers: 2,
};
