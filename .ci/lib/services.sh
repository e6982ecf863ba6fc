# Sourced by the test script: starts the local services the integration tests use, when they are down.
# The commands are the machine's own (see shared/notes/toolchain.md); CI runs on such a machine.

pushline_ensure_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then return 0; fi
  echo "› starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  for _ in $(seq 1 50); do pg_isready -q -h 127.0.0.1 -p 5432 && return 0; sleep 0.2; done
  echo "PostgreSQL did not start on 127.0.0.1:5432" >&2
  return 1
}

pushline_ensure_redis() {
  if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then return 0; fi
  echo "› starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "Redis did not start on 127.0.0.1:6379" >&2
  return 1
}

# The browser tests (apps/api/test/browser) drive the distribution's Chromium through playwright-core;
# Playwright's own browser download cannot be used here.
pushline_ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return 0; fi
  echo "› installing Chromium"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}
