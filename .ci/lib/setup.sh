# Sourced by the start and test scripts: makes a fresh clone runnable with no manual step.
# - installs node_modules from the lockfile when missing or older than the lockfile
# - generates the Prisma client when missing or older than the schema
# - builds @pushline/client when missing or older than its sources
# Install scripts stay disabled (npm 11 default): nothing here needs one.

pushline_install_dependencies() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "› installing dependencies"
    # Exactly the committed lockfile, which is never rewritten. It lists every platform's optional
    # binaries (@swc/core-*, @nx/nx-*): regenerate it with `npm install` on a clean tree if that changes.
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

pushline_generate_prisma_client() {
  local client=packages/persistence-prisma/src/generated/prisma/client.ts
  if [ ! -f "$client" ] || [ prisma/schema.prisma -nt "$client" ]; then
    echo "› generating the Prisma client"
    bash prisma/cli.sh generate >/dev/null
  fi
}

# The API serves the SDK's browser build (packages/client/dist) to the demo page, and the client tests
# run the shipped bin: build it when missing or older than its sources.
pushline_build_client() {
  local built=packages/client/dist/index.js
  if [ ! -f "$built" ] || [ -n "$(find packages/client/src -name '*.ts' -newer "$built" -print -quit)" ]; then
    echo "› building @pushline/client"
    npx tsc -p packages/client/tsconfig.lib.json
  fi
}

pushline_setup() {
  pushline_install_dependencies
  pushline_generate_prisma_client
  pushline_build_client
}
