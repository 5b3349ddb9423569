// `npm run local [-- demo]`: checks the npm packages before any TypeScript is loaded (the TypeScript hook itself
// needs @swc/core), so that a clone without `npm ci` gets one clear sentence instead of a stack trace; then runs
// scripts/local/main.ts through the same hook as the services (scripts/register-ts.js).
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const PACKAGES = ['@swc/core', 'yaml', 'zod', 'pino', 'prom-client', '@aws-sdk/client-route-53', '@aws-sdk/client-s3', 'azurite'];

const missing = PACKAGES.filter((name) => !existsSync(join(ROOT, 'node_modules', name, 'package.json')));
if (missing.length > 0) {
  process.stderr.write(`Cannot start the local platform: npm packages are missing (${missing.join(', ')}).\nInstall them with: \`npm ci\`\n`);
  process.exit(1);
}
// The AWS SDK warns on every start that its releases after January 2027 will need Node 22: true, and noise in
// a demo's output. Every other warning is still printed.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (!warning.message.startsWith('NodeVersionSupportWarning')) process.stderr.write(`${warning.name}: ${warning.message}\n`);
});
require('../register-ts.js');
require('./main.ts');
