#!/usr/bin/env bash
# Runs a command against PostgreSQL. If DATABASE_URL already points to a PostgreSQL
# server, it is used as is; otherwise a throw-away cluster is started on loopback in a
# temporary directory and removed afterwards, also when the command fails.
#
# ROADMAP_PG_DIR=/some/folder keeps the cluster there instead (make serve): it is created on
# the first run, reused afterwards, and only stopped (not removed) at the end.
# The command gets ROADMAP_PG_DATA (the data directory) and ROADMAP_PG_LOG (the server log),
# so it can stop and start the server itself (make drills); the port is fixed in
# ROADMAP_PG_DATA/roadmap.conf, so a plain `pg_ctl -D "$ROADMAP_PG_DATA" start` brings it back.
set -euo pipefail

case "${DATABASE_URL:-}" in
  postgres://*|postgresql://*) exec "$@" ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
"$here/ensure-system-packages.sh" postgresql

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
if [ -n "${ROADMAP_PG_DIR:-}" ]; then
  mkdir -p "$ROADMAP_PG_DIR"
  datadir=$(cd "$ROADMAP_PG_DIR" && pwd)
  keep=1
else
  datadir=$(mktemp -d /tmp/roadmap-pg.XXXXXX)
  keep=0
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# PostgreSQL refuses to run as root: use the postgres system user then.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" -eq 0 ]; then chown postgres "$datadir"; fi

cleanup() {
  # A kept cluster shuts down cleanly; a throw-away one just stops.
  as_pg "$PGBIN/pg_ctl" -D "$datadir/data" -m "$([ "$keep" -eq 1 ] && echo fast || echo immediate)" \
    stop >/dev/null 2>&1 || true
  if [ "$keep" -eq 0 ]; then rm -rf "$datadir"; fi
}
trap cleanup EXIT INT TERM

if [ ! -f "$datadir/data/PG_VERSION" ]; then
  as_pg "$PGBIN/initdb" -D "$datadir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  echo "include_if_exists = 'roadmap.conf'" | as_pg tee -a "$datadir/data/postgresql.conf" >/dev/null
fi
# Loopback only; a throw-away cluster also skips durability, a kept one does not.
{
  echo "listen_addresses = '127.0.0.1'"
  echo "port = $port"
  echo "unix_socket_directories = '$datadir'"
  if [ "$keep" -eq 0 ]; then
    echo "fsync = off"
    echo "synchronous_commit = off"
    echo "full_page_writes = off"
  fi
} | as_pg tee "$datadir/data/roadmap.conf" >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$datadir/data" -w -l "$datadir/server.log" start >/dev/null

echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') läuft auf 127.0.0.1:$port"
export ROADMAP_PG_DATA="$datadir/data" ROADMAP_PG_LOG="$datadir/server.log"
DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres" "$@"
