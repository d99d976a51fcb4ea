# A throwaway PostgreSQL server for CI (sourced by .ci/run; SPEC 13).
#
#   pg_ci_start   installs PostgreSQL from Debian's packages when initdb is missing (root
#                 only), makes a cluster in a temporary folder, starts it on 127.0.0.1 at an
#                 unused port (socket in the same folder), creates the database collect_ci
#                 and exports COLLECT_TEST_PG_URL. Returns 1 with PG_CI_SKIP set to the
#                 reason when it cannot; the caller then runs without PostgreSQL.
#   pg_ci_stop    stops the server and removes the folder (safe to call twice).
#
# initdb refuses to run as root, so under root the cluster belongs to the `postgres` user
# the Debian package creates. Durability is switched off: the data lives for one CI run.

PG_CI_DIR=""
PG_CI_BIN=""
PG_CI_USER=""
PG_CI_SKIP=""

_pg_ci_bindir() {
    # Debian keeps the server programs out of PATH, in /usr/lib/postgresql/<major>/bin.
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
        echo "$dir"
    elif command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
    fi
}

_pg_ci_as() {  # run a command as the cluster's owner
    if [ "$(id -u)" = 0 ]; then
        runuser -u "$PG_CI_USER" -- "$@"
    else
        "$@"
    fi
}

_pg_ci_install() {
    if [ "$(id -u)" != 0 ]; then
        PG_CI_SKIP="PostgreSQL is not installed and CI is not running as root (apt-get)"
        return 1
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        PG_CI_SKIP="PostgreSQL is not installed and there is no apt-get"
        return 1
    fi
    echo "== installing PostgreSQL from Debian (apt-get install postgresql)"
    # Our own cluster is made below: skip the package's default cluster on port 5432.
    if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
        mkdir -p /etc/postgresql-common
        echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
    fi
    if ! DEBIAN_FRONTEND=noninteractive apt-get update -qq >/tmp/pg_ci_apt.log 2>&1 ||
       ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
            postgresql >>/tmp/pg_ci_apt.log 2>&1; then
        tail -n 5 /tmp/pg_ci_apt.log
        PG_CI_SKIP="apt-get install postgresql failed (see /tmp/pg_ci_apt.log)"
        return 1
    fi
}

_pg_ci_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_ci_start() {
    PG_CI_BIN=$(_pg_ci_bindir)
    if [ -z "$PG_CI_BIN" ]; then
        _pg_ci_install || return 1
        PG_CI_BIN=$(_pg_ci_bindir)
        if [ -z "$PG_CI_BIN" ]; then
            PG_CI_SKIP="postgresql installed but no initdb in /usr/lib/postgresql/*/bin"
            return 1
        fi
    fi
    PG_CI_USER=$(id -un)
    if [ "$(id -u)" = 0 ]; then
        PG_CI_USER=postgres
        if ! id postgres >/dev/null 2>&1; then
            useradd --system --no-create-home --shell /bin/sh postgres || {
                PG_CI_SKIP="no postgres user to own the cluster (initdb refuses root)"
                return 1
            }
        fi
    fi
    PG_CI_DIR=$(mktemp -d /tmp/collect-pg.XXXXXX) || { PG_CI_SKIP="mktemp failed"; return 1; }
    chmod 700 "$PG_CI_DIR"
    [ "$(id -u)" = 0 ] && chown "$PG_CI_USER" "$PG_CI_DIR"
    local port
    port=$(_pg_ci_free_port)
    if ! _pg_ci_as "$PG_CI_BIN/initdb" -D "$PG_CI_DIR/data" -U postgres --auth=trust \
            --encoding=UTF8 --locale=C.UTF-8 >"$PG_CI_DIR/initdb.log" 2>&1; then
        tail -n 5 "$PG_CI_DIR/initdb.log"
        PG_CI_SKIP="initdb failed"
        return 1
    fi
    if ! _pg_ci_as "$PG_CI_BIN/pg_ctl" -D "$PG_CI_DIR/data" -l "$PG_CI_DIR/server.log" -w \
            -t 60 -o "-p $port -k $PG_CI_DIR -c listen_addresses=127.0.0.1 -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            start >/dev/null; then
        tail -n 5 "$PG_CI_DIR/server.log"
        PG_CI_SKIP="the PostgreSQL server did not start"
        return 1
    fi
    if ! _pg_ci_as "$PG_CI_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres collect_ci; then
        PG_CI_SKIP="createdb collect_ci failed"
        return 1
    fi
    export COLLECT_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$port/collect_ci"
    echo "== PostgreSQL $("$PG_CI_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port: COLLECT_TEST_PG_URL=$COLLECT_TEST_PG_URL"
}

pg_ci_stop() {
    if [ -n "$PG_CI_DIR" ] && [ -d "$PG_CI_DIR" ]; then
        if [ -f "$PG_CI_DIR/data/postmaster.pid" ]; then
            _pg_ci_as "$PG_CI_BIN/pg_ctl" -D "$PG_CI_DIR/data" -m immediate -w stop \
                >/dev/null 2>&1 || true
        fi
        rm -rf "$PG_CI_DIR"
    fi
    PG_CI_DIR=""
}
