#!/usr/bin/env bash
# postgres.sh start|stop|status|drop
#
# A dedicated Debian cluster ("portico", port 54329) so the project never
# touches the machine's default cluster. Its data lives where Debian keeps
# clusters (/var/lib/postgresql/<ver>/portico), not in .portico/: `drop`
# deletes it.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CLUSTER=$PORTICO_PG_CLUSTER
# Written when we start the cluster: `stop` only stops a cluster we started.
STARTED_MARK="$RUN_DIR/postgres.started-by-us"

# The version of an existing "portico" cluster, else the newest installed.
pg_version() {
    local ver
    ver=$(pg_lsclusters -h 2>/dev/null | awk -v c="$CLUSTER" '$2 == c { print $1; exit }')
    if [[ -z $ver ]]; then
        ver=$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sed 's|/usr/lib/postgresql/\([^/]*\)/.*|\1|' | sort -V | tail -n1)
    fi
    [[ -n $ver ]] || die "PostgreSQL is not installed: run deploy/local/install.sh"
    echo "$ver"
}

cluster_exists() { pg_lsclusters -h 2>/dev/null | awk -v c="$CLUSTER" '$2 == c { found = 1 } END { exit !found }'; }
cluster_online() { pg_ctlcluster "$VER" "$CLUSTER" status >/dev/null 2>&1; }

as_postgres() {
    if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else sudo -u postgres -- "$@"; fi
}

# psql as the postgres superuser over the cluster's unix socket (peer auth).
psql_su() { as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PORTICO_PG_PORT" -h /var/run/postgresql "$@"; }

create_cluster() {
    cluster_exists && return 0
    say "creating PostgreSQL $VER cluster '$CLUSTER' on port $PORTICO_PG_PORT"
    # manual: only our scripts start it, never the machine's boot.
    pg_createcluster "$VER" "$CLUSTER" --port "$PORTICO_PG_PORT" --start-conf manual \
        -- --auth-local=peer --auth-host=scram-sha-256 >/dev/null
}

configure_cluster() {
    # pg_conftool is fine for integers; string values go to conf.d, which
    # Debian includes after postgresql.conf (pg_conftool would leave
    # 127.0.0.1 unquoted, which PostgreSQL rejects).
    if [[ $(pg_conftool -s "$VER" "$CLUSTER" get port) != "$PORTICO_PG_PORT" ]]; then
        pg_conftool "$VER" "$CLUSTER" set port "$PORTICO_PG_PORT"
    fi
    local confdir="/etc/postgresql/$VER/$CLUSTER"
    mkdir -p "$confdir/conf.d"
    grep -Eq "^include_dir[[:space:]]*=[[:space:]]*'conf.d'" "$confdir/postgresql.conf" ||
        echo "include_dir = 'conf.d'" >>"$confdir/postgresql.conf"
    cat >"$confdir/conf.d/portico.conf" <<CONF
# Written by deploy/local/postgres.sh at every start; edit that script instead.
listen_addresses = '$PORTICO_PG_HOST'
# Each test run opens pools for four services plus its own connections.
max_connections = 300
CONF
    local hba="$confdir/pg_hba.conf"
    if ! grep -Eq "^host[[:space:]]+all[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+(scram-sha-256|md5)" "$hba"; then
        # pg_hba is first-match: put it on top so no earlier line rejects it.
        sed -i '1i host all all 127.0.0.1/32 scram-sha-256' "$hba"
    fi
}

start_cluster() {
    if cluster_online; then
        say "postgres cluster $VER/$CLUSTER already running"
        # Pick up pg_hba.conf / reloadable settings changed above.
        pg_ctlcluster "$VER" "$CLUSTER" reload
        return 0
    fi
    ensure_state_dirs
    say "starting postgres cluster $VER/$CLUSTER"
    pg_ctlcluster "$VER" "$CLUSTER" start
    echo "$VER $CLUSTER" >"$STARTED_MARK"
}

ensure_roles_and_databases() {
    local sql svc
    sql="DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'portico_admin') THEN
    CREATE ROLE portico_admin;
  END IF;
END \$\$;
ALTER ROLE portico_admin WITH LOGIN SUPERUSER PASSWORD 'portico_admin';
"
    for svc in $PORTICO_SERVICES; do
        sql+="DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'portico_$svc') THEN
    CREATE ROLE portico_$svc;
  END IF;
END \$\$;
ALTER ROLE portico_$svc WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD 'portico_$svc';
SELECT 'CREATE DATABASE portico_$svc OWNER portico_$svc'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'portico_$svc') \\gexec
ALTER DATABASE portico_$svc OWNER TO portico_$svc;
REVOKE CONNECT, TEMPORARY ON DATABASE portico_$svc FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE portico_$svc TO portico_$svc;
"
    done
    # A service role may connect to its own database and no other.
    sql+="REVOKE CONNECT ON DATABASE postgres FROM PUBLIC;
"
    psql_su -d postgres <<<"$sql"
    say "roles and databases ready: portico_admin, $(printf 'portico_%s ' $PORTICO_SERVICES)"
}

wait_ready() {
    local i
    for ((i = 0; i < 60; i++)); do
        pg_isready -q -h "$PORTICO_PG_HOST" -p "$PORTICO_PG_PORT" && return 0
        sleep 0.5
    done
    tail -n 40 "/var/log/postgresql/postgresql-$VER-$CLUSTER.log" >&2 || true
    die "postgres not accepting connections on $PORTICO_PG_HOST:$PORTICO_PG_PORT after 30s"
}

cmd_start() {
    create_cluster
    configure_cluster
    start_cluster
    wait_ready
    ensure_roles_and_databases
    say "postgres ready: $PORTICO_PG_ADMIN_DSN"
}

cmd_stop() {
    if [[ ! -f $STARTED_MARK ]]; then
        say "postgres cluster $VER/$CLUSTER was not started by these scripts; leaving it alone"
        return 0
    fi
    if cluster_online; then
        say "stopping postgres cluster $VER/$CLUSTER"
        pg_ctlcluster "$VER" "$CLUSTER" stop -m fast
    fi
    rm -f "$STARTED_MARK"
}

cmd_status() {
    if cluster_exists && cluster_online; then
        say "postgres: running ($VER/$CLUSTER, port $PORTICO_PG_PORT$([[ -f $STARTED_MARK ]] && echo ', started by us'))"
    else
        say "postgres: stopped"
        return 1
    fi
}

cmd_drop() {
    cluster_exists || { say "no cluster '$CLUSTER'"; return 0; }
    say "dropping postgres cluster $VER/$CLUSTER and all its data"
    pg_dropcluster --stop "$VER" "$CLUSTER"
    rm -f "$STARTED_MARK"
}

VER=$(pg_version)
case "${1:-}" in
    start | stop | status | drop) "cmd_$1" ;;
    *) die "usage: $0 start|stop|status|drop" ;;
esac
