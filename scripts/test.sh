#!/usr/bin/env bash
# The whole test suite: lint, type check, then every Jest test (units, config
# validation, snapshots, main.ts end to end). `npm test` runs this; so does CI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-tools.sh

echo "== lint"
npx eslint .
echo "== type check"
npx tsc --noEmit
echo "== tests"
status=0
npx jest --ci --json --outputFile=.jest-results.json "$@" || status=$?
# One plain closing line, the same whatever the runner prints above it.
node -e '
  const r = require("./.jest-results.json");
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
'
exit "$status"
