#!/usr/bin/env bash
# `npm start`: installs what is needed, builds, and starts the API. Without DATABASE_URL it runs on
# an embedded PGlite database under DATA_DIR (default .data/) and seeds the demo users.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source .ci/lib/setup.sh
pushline_setup
echo "› building"
npx tsc -b apps/api/tsconfig.lib.json
exec node apps/api/dist/main.js
