#!/usr/bin/env bash
# `npm test`: everything a fresh clone needs, then every suite (unit, integration on PGlite and
# PostgreSQL, end to end). CI (.ci/run) calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib/setup.sh
source .ci/lib/services.sh

pushline_setup
pushline_ensure_postgres
pushline_ensure_redis
pushline_ensure_redis_cluster
pushline_ensure_chromium

echo "› type-checking"
npx tsc -p tsconfig.json

echo "› running the test suites"
mkdir -p tmp
status=0
NODE_OPTIONS="--experimental-vm-modules --no-warnings=ExperimentalWarning" npx jest --ci \
  --maxWorkers="${JEST_WORKERS:-2}" --json --outputFile=tmp/jest-results.json "$@" || status=$?
# One plain closing line that any CI reader understands.
node -e 'const r=require("./tmp/jest-results.json");console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`)' || true
exit "$status"
