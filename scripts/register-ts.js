// A minimal TypeScript require hook: strips types with SWC (no type-checking:
// that is `npm run typecheck`). cdktf.json runs main.ts through it; see
// docs/adr/002-synth-runtime.md for why not tsx (measured: ~2x slower synth).
//
// Transpiled files are cached by content hash in node_modules/.cache, so an
// unchanged file costs one read and SWC is not even loaded. Source maps are
// inlined but not applied by default: applying them to every stack trace cdktf
// captures doubles construct time. Debug with NODE_OPTIONS=--enable-source-maps.
'use strict';
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const SWC_OPTIONS = {
  jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};
const CACHE_DIRECTORY = join(__dirname, '..', 'node_modules', '.cache', 'skyline-ts');
// Part of every cache key: a change of options or of SWC itself invalidates the cache.
const CACHE_SALT = JSON.stringify(SWC_OPTIONS) + require('@swc/core/package.json').version;

function transpile(filename, source) {
  const key = createHash('sha256').update(CACHE_SALT).update(filename).update(source).digest('hex');
  const cached = join(CACHE_DIRECTORY, `${key}.js`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    // Not cached yet: transpile below.
  }
  const { code } = require('@swc/core').transformSync(source, { ...SWC_OPTIONS, filename });
  mkdirSync(CACHE_DIRECTORY, { recursive: true });
  // Write then rename, so a concurrent reader never sees half a file.
  const partial = `${cached}.${process.pid}.tmp`;
  writeFileSync(partial, code);
  renameSync(partial, cached);
  return code;
}

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  module._compile(transpile(filename, readFileSync(filename, 'utf8')), filename);
};
