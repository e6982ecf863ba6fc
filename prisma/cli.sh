#!/usr/bin/env bash
# Runs the Prisma CLI offline. Usage (from anywhere in the repo):
#   npm run prisma -- generate                      # generate the client (also: bash prisma/cli.sh generate)
#   npm run prisma -- new-migration <name>          # write prisma/migrations/<utc-ts>_<name>/migration.sql
#   npm run prisma -- <any prisma command>          # e.g. migrate diff, migrate status, validate
# Why the placeholders: Prisma 6 tries to download its native engines on start, and only the npm registry
# is reachable. With engineType "client" and the JS schema engine it never runs them, so empty files do.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

placeholders="$root/node_modules/.cache/pushline-prisma"
mkdir -p "$placeholders"
touch "$placeholders/libquery_engine.placeholder.node" "$placeholders/schema-engine.placeholder"
export PRISMA_QUERY_ENGINE_LIBRARY="$placeholders/libquery_engine.placeholder.node"
export PRISMA_SCHEMA_ENGINE_BINARY="$placeholders/schema-engine.placeholder"
export PRISMA_HIDE_UPDATE_MESSAGE=1
export CHECKPOINT_DISABLE=1

prisma=("$root/node_modules/.bin/prisma")
config=(--config "$root/prisma/prisma.config.ts")

case "${1:-}" in
  generate)
    shift
    exec "${prisma[@]}" generate "${config[@]}" "$@"
    ;;
  new-migration)
    # Writes the SQL that takes a database from prisma/migrations to prisma/schema.prisma. The diff
    # replays the existing migrations into a throwaway shadow database (see prisma.config.ts), so the
    # result never depends on the state of someone's dev database. `migrate dev` is not used: Prisma
    # 6.19's JS schema engine cannot evaluate data loss once migrations exist ("PostgreSQL shadow DB
    # must be provided through an external factory").
    name="${2:?usage: new-migration <snake_case_name>}"
    [[ "$name" =~ ^[a-z0-9_]+$ ]] || { echo "migration name must be snake_case: $name" >&2; exit 64; }
    export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
    dir="$root/prisma/migrations/$(date -u +%Y%m%d%H%M%S)_$name"
    draft="$(mktemp)"
    trap 'rm -f "$draft"' EXIT
    status=0
    "${prisma[@]}" migrate diff --from-migrations "$root/prisma/migrations" \
      --to-schema-datamodel "$root/prisma/schema.prisma" --script --exit-code \
      -o "$draft" "${config[@]}" || status=$?
    case "$status" in
      2) mkdir -p "$dir" && cp "$draft" "$dir/migration.sql"
         echo "wrote ${dir#"$root/"}/migration.sql: review it, then run the tests (they apply it)" ;;
      0) echo "schema.prisma matches prisma/migrations: nothing to write" ;;
      *) exit "$status" ;;
    esac
    ;;
  *)
    exec "${prisma[@]}" "$@" "${config[@]}"
    ;;
esac
