#!/usr/bin/env bash
# services.sh start|stop|status
#
# Each service under services/<svc>/ runs as "<svc>-web" (gunicorn) and, if it
# has one, "<svc>-worker" (its background consumer). A service whose code
# isn't written yet is skipped with a message, so the stack comes up at every
# stage of the project.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SERVICE_START_TIMEOUT="${SERVICE_START_TIMEOUT:-60}"
# Services may read files relative to the repo root (templates, contracts/).
cd "$PORTICO_ROOT"

service_port() {
    local var="PORTICO_${1^^}_PORT"
    echo "${!var}"
}

metrics_port() {
    local var="PORTICO_${1^^}_METRICS_PORT"
    echo "${!var}"
}

service_dir() { echo "$PORTICO_ROOT/services/$1"; }
has_app() { [[ -f $(service_dir "$1")/entrypoints/app.py ]]; }
has_worker() { [[ -f $(service_dir "$1")/entrypoints/worker.py ]]; }

# Each service owns one database and sees only its own credentials (the
# admin DSN is removed from its environment in start_service).
service_env() {
    local svc=$1
    echo "PORTICO_SERVICE_NAME=$svc"
    echo "PORTICO_DATABASE_URL=postgresql://portico_$svc:portico_$svc@$PORTICO_PG_HOST:$PORTICO_PG_PORT/portico_$svc"
    echo "PORTICO_KAFKA_BOOTSTRAP=$PORTICO_KAFKA_BOOTSTRAP"
    echo "PORTICO_SMTP_HOST=$PORTICO_SMTP_HOST"
    echo "PORTICO_SMTP_PORT=$PORTICO_SMTP_PORT"
    echo "PYTHONPATH=$PYTHONPATH"
    # Keys made once per state directory: identity signs tokens, notifications opens sealed links.
    "$PORTICO_ROOT/deploy/local/keys.sh" env "$svc"
}

http_ok() {
    "$VENV/bin/python" -c '
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=2) as r:
    sys.exit(0 if r.status == 200 else 1)
' "$1"
}

start_service() {
    local svc=$1 port envs
    port=$(service_port "$svc")
    if ! has_app "$svc"; then
        say "$svc: services/$svc/entrypoints/app.py does not exist yet; skipped"
        return 0
    fi
    mapfile -t envs < <(service_env "$svc")
    # The deployment step, once, before the web and the worker start: they never migrate themselves.
    env -u PORTICO_PG_ADMIN_DSN "${envs[@]}" "$VENV/bin/python" -m "$svc.entrypoints.migrate" \
        || die "$svc: the schema migration failed (see above); nothing of $svc was started"
    # gunicorn's processes add up their metrics through files here (prometheus-client multiprocess
    # mode); the files of a previous run must go, but never from under a running server.
    local metrics_dir="$PORTICO_STATE/metrics/$svc-web"
    if ! is_running "$svc-web"; then rm -rf "$metrics_dir"; fi
    mkdir -p "$metrics_dir"
    # No gunicorn access log: the app logs each request as a JSON line with its correlation id;
    # gunicorn's own lines are JSON too (deploy/gunicorn-logging.json); workers, threads and limits
    # are deploy/gunicorn.conf.py's, as in compose, Kubernetes and the end-to-end tests.
    start_bg "$svc-web" env -u PORTICO_PG_ADMIN_DSN "${envs[@]}" PROMETHEUS_MULTIPROC_DIR="$metrics_dir" \
        "$VENV/bin/gunicorn" \
        --pythonpath "$PORTICO_ROOT,$PORTICO_ROOT/services" \
        -c "$PORTICO_ROOT/deploy/gunicorn.conf.py" --bind "127.0.0.1:$port" \
        --log-config-json "$PORTICO_ROOT/deploy/gunicorn-logging.json" \
        "$svc.entrypoints.app:create_app()"
    if has_worker "$svc"; then
        start_bg "$svc-worker" env -u PORTICO_PG_ADMIN_DSN -u PROMETHEUS_MULTIPROC_DIR "${envs[@]}" \
            PORTICO_METRICS_PORT="$(metrics_port "$svc")" "$VENV/bin/python" -m "$svc.entrypoints.worker"
    else
        say "$svc: no services/$svc/entrypoints/worker.py; no worker started"
    fi
}

# The reference frontend: a client of the services' HTTP APIs, so no database credentials; threads
# because the ops view holds a server-sent-events stream open.
start_web() {
    local envs
    mapfile -t envs < <("$PORTICO_ROOT/deploy/local/keys.sh" env web)
    start_bg web env -u PORTICO_PG_ADMIN_DSN "${envs[@]}" PYTHONPATH="$PYTHONPATH" \
        "$VENV/bin/gunicorn" --pythonpath "$PORTICO_ROOT,$PORTICO_ROOT/services" \
        --bind "127.0.0.1:$PORTICO_WEB_PORT" --workers 2 --threads 8 "frontend.app:create_app()"
}

wait_service() {
    local svc=$1
    has_app "$svc" || return 0
    wait_until "$svc-web" "$SERVICE_START_TIMEOUT" http_ok "http://127.0.0.1:$(service_port "$svc")/health/ready"
}

cmd_start() {
    require_venv
    "$PORTICO_ROOT/deploy/local/topics.sh"
    local svc
    for svc in $PORTICO_SERVICES; do start_service "$svc"; done
    start_web
    # Wait after starting all of them: they boot in parallel.
    for svc in $PORTICO_SERVICES; do wait_service "$svc"; done
    wait_until web "$SERVICE_START_TIMEOUT" http_ok "$PORTICO_WEB_URL/health/ready"
}

cmd_stop() {
    local svc i services=()
    stop_bg web
    read -r -a services <<<"$PORTICO_SERVICES"
    for ((i = ${#services[@]} - 1; i >= 0; i--)); do
        svc=${services[i]}
        stop_bg "$svc-worker"
        stop_bg "$svc-web"
    done
}

cmd_status() {
    local svc rc=0
    for svc in $PORTICO_SERVICES; do
        if ! has_app "$svc"; then
            say "$svc: not written yet"
            continue
        fi
        status_bg "$svc-web" || rc=1
        if has_worker "$svc"; then status_bg "$svc-worker" || rc=1; fi
    done
    status_bg web || rc=1
    return "$rc"
}

case "${1:-}" in
    start | stop) take_lock services && "cmd_$1" ;;
    status) cmd_status ;;
    env) service_env "${2:?usage: $0 env SERVICE}" ;;  # what a service's process gets, for operator tools
    *) die "usage: $0 start|stop|status|env SERVICE" ;;
esac
