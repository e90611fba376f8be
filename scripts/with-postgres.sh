#!/usr/bin/env bash
# Runs a command against PostgreSQL. If DATABASE_URL already points to a PostgreSQL
# server, it is used as is; otherwise a throw-away cluster is started on loopback in a
# temporary directory and removed afterwards, also when the command fails.
set -euo pipefail

case "${DATABASE_URL:-}" in
  postgres://*|postgresql://*) exec "$@" ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
"$here/ensure-system-packages.sh" postgresql

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
datadir=$(mktemp -d /tmp/roadmap-pg.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# PostgreSQL refuses to run as root: use the postgres system user then.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" -eq 0 ]; then chown postgres "$datadir"; fi

cleanup() {
  as_pg "$PGBIN/pg_ctl" -D "$datadir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$datadir"
}
trap cleanup EXIT INT TERM

as_pg "$PGBIN/initdb" -D "$datadir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$datadir/data" -w -l "$datadir/server.log" \
  -o "-h 127.0.0.1 -p $port -k $datadir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null

echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') läuft auf 127.0.0.1:$port"
DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres" "$@"
