/** Jest runs TypeScript through SWC: no type-checking here (that is `npm run typecheck`), so tests start fast. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  setupFilesAfterEnv: ['<rootDir>/test/helpers/setup.ts'],
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
