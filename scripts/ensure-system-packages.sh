#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing.
# Usage: scripts/ensure-system-packages.sh postgresql [chromium ...]
set -euo pipefail

declare -A probe=(
  [postgresql]=/usr/lib/postgresql/15/bin/initdb
  [chromium]=/usr/bin/chromium
  [redis-server]=/usr/bin/redis-server
  [nginx]=/usr/sbin/nginx
  [wrk]=/usr/bin/wrk
)

missing=()
for package in "$@"; do
  [ -x "${probe[$package]:-/nonexistent}" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${missing[*]} (install them with apt-get as root)." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
