#!/usr/bin/env bash
# Runs a command with a Redis cache server. If REDIS_URL is already set, it is used as is;
# otherwise a throw-away redis-server (no persistence, bounded memory) is started on a random
# loopback port in a temporary directory and stopped afterwards, also when the command fails.
# The command gets REDIS_URL, and ROADMAP_REDIS_CONF: `redis-server "$ROADMAP_REDIS_CONF"`
# starts the same server again after a drill stopped it.
set -euo pipefail

if [ -n "${REDIS_URL:-}" ]; then exec "$@"; fi

here=$(cd "$(dirname "$0")" && pwd)
"$here/ensure-system-packages.sh" redis-server

workdir=$(mktemp -d /tmp/roadmap-redis.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

server=""
cleanup() {
  # The pid file names whichever instance runs now, also one a drill started again.
  if [ -f "$workdir/redis.pid" ]; then kill "$(cat "$workdir/redis.pid")" 2>/dev/null || true; fi
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  for _ in $(seq 50); do [ -f "$workdir/redis.pid" ] || break; sleep 0.1; done
  rm -rf "$workdir"
}
trap cleanup EXIT INT TERM

cat >"$workdir/redis.conf" <<CONF
bind 127.0.0.1
port $port
protected-mode yes
daemonize no
pidfile $workdir/redis.pid
logfile $workdir/redis.log
dir $workdir
save ""
appendonly no
maxmemory 256mb
maxmemory-policy allkeys-lru
CONF
redis-server "$workdir/redis.conf" &
server=$!
for _ in $(seq 100); do
  redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.05
done
if ! redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; then
  echo "redis-server ist nicht gestartet:" >&2
  cat "$workdir/redis.log" >&2 || true
  exit 1
fi

echo "Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) läuft auf 127.0.0.1:$port"
export ROADMAP_REDIS_CONF="$workdir/redis.conf"
REDIS_URL="redis://127.0.0.1:$port/0" "$@"
