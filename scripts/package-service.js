// Packages one service for its image: `node scripts/package-service.js <service> <outDir>`.
// - Transpiles services/common/src and services/<service>/src to CommonJS JavaScript under outDir, keeping the
//   layout, so the relative imports between them still resolve and the image needs no TypeScript tooling.
// - Writes outDir/package.json listing exactly the packages those files import, at the root package.json's
//   pinned versions, beside a copy of the root package-lock.json: `npm install --omit=dev` there installs the
//   locked versions of those packages and nothing else (not the cdktf providers, not the dev tools).
'use strict';
const { builtinModules } = require('node:module');
const { mkdirSync, readdirSync, readFileSync, copyFileSync, writeFileSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');
const { transformSync } = require('@swc/core');

const ROOT = join(__dirname, '..');
const [service, outDir] = process.argv.slice(2);
if (!service || !outDir) {
  console.error('usage: node scripts/package-service.js <service> <outDir>');
  process.exit(2);
}

function* typeScriptFiles(directory) {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) yield* typeScriptFiles(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield path;
  }
}

const imported = new Set();
for (const sourceDir of [join(ROOT, 'services', 'common', 'src'), join(ROOT, 'services', service, 'src')]) {
  for (const file of typeScriptFiles(sourceDir)) {
    const { code } = transformSync(readFileSync(file, 'utf8'), {
      filename: file,
      jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
      module: { type: 'commonjs' },
    });
    // Bare specifiers of require() calls: the packages the service needs at run time (type-only imports are gone).
    for (const [, specifier] of code.matchAll(/require\("([^".][^"]*)"\)/g)) {
      const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
      if (!specifier.startsWith('node:') && !builtinModules.includes(name)) imported.add(name);
    }
    const target = join(outDir, relative(ROOT, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, code);
  }
}

const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const dependencies = {};
for (const name of [...imported].sort()) {
  const version = root.dependencies?.[name];
  if (!version) {
    console.error(`package-service: ${service} imports ${name}, which is not in the dependencies of package.json; add it there (npm install --save-exact ${name})`);
    process.exit(1);
  }
  dependencies[name] = version;
}
writeFileSync(join(outDir, 'package.json'), `${JSON.stringify({ name: `skyline-${service}`, private: true, dependencies }, null, 2)}\n`);
copyFileSync(join(ROOT, 'package-lock.json'), join(outDir, 'package-lock.json'));
console.log(`package-service: ${service} -> ${outDir} (dependencies: ${Object.keys(dependencies).join(', ')})`);
