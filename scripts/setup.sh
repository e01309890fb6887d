#!/usr/bin/env bash
# One-time machine set-up: Debian packages the tests and demo need, then npm dependencies.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
# PostgreSQL server binaries (initdb/pg_ctl), for the storage conformance suite.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then need+=(postgresql); fi
# An external MQTT broker, for the messaging suite against a real broker.
if ! have_cmd mosquitto && [ ! -x /usr/sbin/mosquitto ]; then need+=(mosquitto); fi
# Python 3 runs blueprint scripts that use `from cloudify import ctx`.
if ! have_cmd python3; then need+=(python3); fi
# Debian's Chromium drives the web UI's browser tests (playwright-core; never a browser download).
if [ ! -x /usr/bin/chromium ]; then need+=(chromium); fi

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "Missing Debian packages: ${need[*]}. Install them (as root): apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  echo "Installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm dependencies (better-sqlite3 compiles from source: about 2 minutes)"
  npm ci --no-audit --no-fund
fi
# Bundle the CLI for a fast start (bin/ falls back to the sources when the bundle is stale).
npm run --silent build
echo "Set-up complete."
