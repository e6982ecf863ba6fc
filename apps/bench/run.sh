#!/usr/bin/env bash
# `npm run bench [-- --users 50 --devices 10 --events 2000]`: builds the API and the benchmarks, then
# runs the encoder micro-benchmark and the end-to-end fan-out benchmark against a real API process
# on a fresh PostgreSQL database, and the webhook delivery benchmark (throughput, drain after a receiver
# outage; `node apps/bench/dist/webhooks.bench.js --down-seconds 60` alone). Prints a report; nothing here
# is a pass/fail test.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/lib/setup.sh
source .ci/lib/services.sh
pushline_setup
pushline_ensure_postgres
echo "› building"
npx tsc -b apps/api/tsconfig.lib.json apps/bench/tsconfig.lib.json
node apps/bench/dist/encode-fanout.bench.js
node apps/bench/dist/fanout.bench.js "$@"
node apps/bench/dist/webhooks.bench.js
