#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, on 127.0.0.1 (password) and a Unix socket in its
# temporary directory (peer authentication: the OS account is the login).
#   tests/postgres/cluster.sh start   prints the cluster's directory, then its URL on stdout
#   tests/postgres/cluster.sh stop DIR
# PostgreSQL refuses to run as root; as root the cluster runs as the `postgres` account that
# Debian's packages create (or as one this script creates).
set -euo pipefail

find_bindir() {
    local dir
    if command -v pg_config >/dev/null 2>&1; then
        dir=$(pg_config --bindir)
        [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
    fi
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
    done
    return 1
}

install_server() {
    local sudo=""
    [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo"
    command -v apt-get >/dev/null 2>&1 || return 1
    echo "cluster: installing the PostgreSQL server for the PostgreSQL tests" >&2
    $sudo apt-get update -qq >/dev/null
    # Debian's package may also create and start its own main cluster; the tests do not use
    # it, only the binaries (initdb, pg_ctl) and psql.
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        postgresql postgresql-client >/dev/null
}

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$OWNER" -- "$@"
    else
        "$@"
    fi
}

start() {
    local bindir
    bindir=$(find_bindir) || { install_server && bindir=$(find_bindir); } || {
        echo "cluster: no PostgreSQL server binaries (initdb) and apt-get could not install them" >&2
        exit 1
    }
    local dir
    dir=$(mktemp -d "${TMPDIR:-/tmp}/bo-pg-test.XXXXXX")
    if [ "$(id -u)" -eq 0 ]; then
        OWNER=postgres
        id "$OWNER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$OWNER"
        chown "$OWNER" "$dir"
    fi
    # Other OS accounts may reach the socket in it (the peer authentication test); the data
    # directory inside stays the server's alone.
    chmod 0711 "$dir"
    local password port
    password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    (umask 077; printf '%s\n' "$password" > "$dir/pwfile")
    [ "$(id -u)" -eq 0 ] && chown "$OWNER" "$dir/pwfile"
    as_owner "$bindir/initdb" -D "$dir/data" -U bo_test --pwfile="$dir/pwfile" \
        --auth-host=scram-sha-256 --auth-local=peer -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2; exit 1; }
    rm -f "$dir/pwfile"
    # Throwaway data: no fsync. Enough connections for pytest-xdist workers and the
    # concurrency tests' writers.
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s start -o \
        "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off \
         -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" || {
        cat "$dir/server.log" >&2; exit 1; }
    echo "$dir"
    echo "postgresql://bo_test:$password@127.0.0.1:$port/postgres"
}

stop() {
    local dir=$1 bindir
    bindir=$(find_bindir) || exit 0
    [ -d "$dir/data" ] || exit 0
    OWNER=$(stat -c %U "$dir")
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -s stop || true
    rm -rf "$dir"
}

case "${1:-}" in
    start) start ;;
    stop) stop "${2:?cluster directory}" ;;
    *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
