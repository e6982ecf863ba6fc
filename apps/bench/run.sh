#!/usr/bin/env bash
# `npm run bench [-- --full] [-- --only A,B] [-- --reps 3] [-- --before REF]`: builds the API and the
# benchmarks, then runs the frame-encoder micro-benchmark and Pushline against its peers (bare
# node:http, better-sse, socket.io) in the same run, on loopback only. Quick mode (the default) takes
# under two minutes; --full runs every scenario three times and writes docs/benchmarks.md.
# --before REF also measures the build of git REF (e.g. main) in the same run, for before/after ratios
# (REF's schema may differ: it gets its own Prisma client and database).
# Then the webhook delivery benchmark (throughput, drain after a receiver outage), the email and the web
# push channel benchmarks. Prints a report;
# nothing here is a pass/fail test.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/lib/setup.sh
source .ci/lib/services.sh
pushline_setup
pushline_ensure_postgres
pushline_ensure_redis

args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --before) BENCH_BEFORE_REF="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

echo "› building"
npx tsc -b apps/api/tsconfig.lib.json apps/bench/tsconfig.lib.json

if [ -n "${BENCH_BEFORE_REF:-}" ]; then
  # A plain export of REF (no git worktree), sharing node_modules except our own workspace packages,
  # which must resolve to REF's sources: link them to its packages/ instead.
  # Outside the repository: a second copy of every package would confuse jest's module map.
  dir="${TMPDIR:-/tmp}/pushline-bench-before"
  sha=$(git rev-parse "$BENCH_BEFORE_REF")
  if [ "$(cat "$dir/.bench-ref" 2>/dev/null)" != "$sha" ]; then
    rm -rf "$dir" && mkdir -p "$dir/node_modules/@pushline"
    git archive "$sha" | tar -x -C "$dir"
    for entry in node_modules/* node_modules/.bin; do
      [ "$(basename "$entry")" = "@pushline" ] || ln -s "$PWD/$entry" "$dir/node_modules/$(basename "$entry")"
    done
    for pkg in "$dir"/packages/* "$dir"/apps/*; do
      name=$(node -p "require('$pkg/package.json').name")
      ln -s "$pkg" "$dir/node_modules/$name"
    done
    # REF's own client, from REF's schema: a copy of this build's would not match a REF with another schema.
    (cd "$dir" && bash prisma/cli.sh generate >/dev/null)
    (cd "$dir" && npx tsc -b apps/api/tsconfig.lib.json)
    echo "$sha" > "$dir/.bench-ref"
  fi
  export BENCH_BEFORE_DIR="$dir" BENCH_BEFORE_REF
fi

# One process holds up to ~19,000 sockets: raise the soft limit to the hard one.
ulimit -n "$(ulimit -Hn)"
node apps/bench/dist/encode-fanout.bench.js
node apps/bench/dist/peers.bench.js "${args[@]}"
node apps/bench/dist/webhooks.bench.js
node apps/bench/dist/email.bench.js
node apps/bench/dist/web-push.bench.js
