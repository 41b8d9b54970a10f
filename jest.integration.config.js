/** Integration suite: needs a real S3 server (Ceph RGW, see scripts/start-rgw.sh) and RGW_* variables. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/integration'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  cacheDirectory: '<rootDir>/.jest-cache',
  testTimeout: 120000,
};
