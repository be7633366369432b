#!/usr/bin/env bash
# A throwaway local PostgreSQL server for tests and benchmarks, from Debian's packages.
#
#   scripts/postgres_local.sh start DIR [PORT]   prints CAMPAIGN_DATABASE_URL=postgresql://...
#   scripts/postgres_local.sh stop DIR           stops the server and removes DIR
#
# DIR must not exist yet (or be empty); it holds the cluster, its log and its socket.
# The server listens on 127.0.0.1 only, trusts local connections (no password: it is a
# test server that lives for one run) and runs with fsync off, so a crash may lose it,
# which is fine for a throwaway and halves the time of a test suite's many commits.
# initdb refuses to run as root, so as root the cluster belongs to the `postgres` user
# that Debian's package creates; as any other user it simply belongs to that user.
# Without a server binary, as root, it installs Debian's `postgresql` package first.
set -euo pipefail

usage() { echo "usage: $0 start DIR [PORT] | stop DIR" >&2; exit 2; }

pg_bindir() {
    local dir
    # The newest major version wins when several are installed.
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$dir" ] && [ "$(id -u)" = 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    fi
    [ -n "$dir" ] || { echo "no PostgreSQL server found (apt-get install postgresql)" >&2; exit 1; }
    echo "$dir"
}

# Runs a command as the cluster's owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    local dir=$1 port=${2:-} bin
    [ -n "$port" ] || port=$(free_port)
    bin=$(pg_bindir)
    mkdir -p "$dir"
    [ -z "$(ls -A "$dir")" ] || { echo "$dir is not empty" >&2; exit 1; }
    dir=$(cd "$dir" && pwd)
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U campaign --auth=trust -E UTF8 --no-locale \
        --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U campaign campaign
    echo "$port" >"$dir/port"
    echo "CAMPAIGN_DATABASE_URL=postgresql://campaign@127.0.0.1:$port/campaign"
}

stop() {
    local dir=$1 bin
    [ -f "$dir/data/PG_VERSION" ] || { echo "$dir holds no cluster" >&2; exit 1; }
    bin=$(pg_bindir)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    rm -rf "$dir"
}

case "${1:-}" in
    start) [ $# -ge 2 ] || usage; start "$2" "${3:-}" ;;
    stop) [ $# -eq 2 ] || usage; stop "$2" ;;
    *) usage ;;
esac
