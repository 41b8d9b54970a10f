/** Integration suite: needs a real S3 server (Ceph RGW, scripts/start-rgw.sh; RGW_*) and a local AWS (moto_server, scripts/start-moto.sh; MOTO_*). scripts/ci-integration.sh starts both. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/integration'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  cacheDirectory: '<rootDir>/.jest-cache',
  testTimeout: 120000,
};
