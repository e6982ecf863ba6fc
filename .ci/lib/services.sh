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

# A local Redis Cluster of three masters (no replicas) for the cluster broker's tests, under tmp/
# (gitignored). REDIS_CLUSTER_PORTS picks the ports (default 7101 7102 7103; each node's cluster bus
# is its port + 10000). Exports REDIS_CLUSTER_NODES for the tests unless it is set already.
# Idempotent: nodes already up are kept, and the cluster is created only while it is not yet ok.
pushline_ensure_redis_cluster() {
  local ports=(${REDIS_CLUSTER_PORTS:-7101 7102 7103})
  local dir="$PWD/tmp/redis-cluster" port nodes=()
  mkdir -p "$dir"
  for port in "${ports[@]}"; do
    nodes+=("127.0.0.1:$port")
    redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && continue
    echo "› starting Redis Cluster node on $port"
    # A node that was killed leaves its cluster config behind; start it from scratch.
    rm -f "$dir/nodes-$port.conf"
    redis-server --cluster-enabled yes --port "$port" --bind 127.0.0.1 --cluster-config-file "$dir/nodes-$port.conf" \
      --save "" --appendonly no --daemonize yes --dir "$dir" --logfile "$dir/node-$port.log" --pidfile "$dir/node-$port.pid"
  done
  for port in "${ports[@]}"; do
    for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break; sleep 0.2; done
  done
  export REDIS_CLUSTER_NODES="${REDIS_CLUSTER_NODES:-$(IFS=,; echo "${nodes[*]}")}"
  if redis-cli -h 127.0.0.1 -p "${ports[0]}" cluster info 2>/dev/null | grep -q '^cluster_state:ok'; then return 0; fi
  # Nodes that know each other but lost their slots (or a half-made cluster) start over empty.
  for port in "${ports[@]}"; do redis-cli -h 127.0.0.1 -p "$port" cluster reset hard >/dev/null 2>&1 || true; done
  echo "› creating the Redis Cluster on ${nodes[*]}"
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >"$dir/create.log" 2>&1 || {
    cat "$dir/create.log" >&2
    return 1
  }
  for _ in $(seq 1 50); do
    redis-cli -h 127.0.0.1 -p "${ports[0]}" cluster info | grep -q '^cluster_state:ok' && return 0
    sleep 0.2
  done
  echo "the Redis Cluster on ${nodes[*]} did not become ok" >&2
  return 1
}
