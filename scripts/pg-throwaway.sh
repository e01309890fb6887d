#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for tests and benchmarks, listening on 127.0.0.1 only.
#   scripts/pg-throwaway.sh start <dir> <port>   initdb (trust auth, fsync off) + start; prints the URL
#   scripts/pg-throwaway.sh stop  <dir>          fast shutdown, then removes <dir>/data
# Runs the server as the `postgres` user when started as root (initdb refuses root).
# The server's pid is in <dir>/data/postmaster.pid (first line); stop uses pg_ctl with the data dir.
set -euo pipefail

cmd=${1:-}; dir=${2:-}; port=${3:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start <dir> <port> | stop <dir>" >&2; exit 2
fi

bindir=""
for candidate in /usr/lib/postgresql/*/bin; do
  if [ -x "$candidate/initdb" ]; then bindir=$candidate; fi
done
if [ -z "$bindir" ] && command -v initdb >/dev/null 2>&1; then bindir=$(dirname "$(command -v initdb)"); fi
if [ -z "$bindir" ]; then
  echo "PostgreSQL server binaries (initdb, pg_ctl) not found: run scripts/setup.sh (installs the postgresql package)" >&2
  exit 3
fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

data="$dir/data"
case "$cmd" in
  start)
    if [ -z "$port" ]; then echo "usage: $0 start <dir> <port>" >&2; exit 2; fi
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; chmod 700 "$dir"; fi
    if [ ! -f "$data/PG_VERSION" ]; then
      as_owner "$bindir/initdb" -D "$data" -A trust -U postgres --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    as_owner "$bindir/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    if [ -f "$data/postmaster.pid" ]; then
      as_owner "$bindir/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null
    fi
    rm -rf "$data"
    ;;
  *)
    echo "usage: $0 start <dir> <port> | stop <dir>" >&2; exit 2
    ;;
esac
