/** Jest runs TypeScript through SWC: no type-checking here (that is `npm run typecheck`), so tests start fast. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }],
    // hyparquet and its compressors ship ES modules only (Node loads them through require(esm); Jest's loader
    // cannot): transpile them to CommonJS for the tests.
    '/node_modules/(hyparquet|hyparquet-compressors|hysnappy)/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(hyparquet|hyparquet-compressors|hysnappy)/)'],
  setupFilesAfterEnv: ['<rootDir>/test/helpers/setup.ts'],
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
