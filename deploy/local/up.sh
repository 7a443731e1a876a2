#!/usr/bin/env bash
# up.sh: the whole stack for a person to use: infrastructure, topics, the
# services and their workers, demo data. Running it again is harmless.
set -euo pipefail
HERE="$(dirname "${BASH_SOURCE[0]}")"
. "$HERE/env.sh"
. "$HERE/lib.sh"

load_demo_data() {
    if [[ ! -f $PORTICO_ROOT/deploy/demo_data.py ]]; then
        say "deploy/demo_data.py does not exist yet: no demo data loaded"
        return 0
    fi
    say "loading demo data (python -m deploy.demo_data)"
    (cd "$PORTICO_ROOT" && "$VENV/bin/python" -m deploy.demo_data)
}

print_summary() {
    local svc var
    echo
    echo "Portico is up."
    for svc in $PORTICO_SERVICES; do
        [[ -f $PORTICO_ROOT/services/$svc/entrypoints/app.py ]] || continue
        var="PORTICO_${svc^^}_URL"
        printf '  %-14s %s   (health: %s/health/ready)\n' "$svc" "${!var}" "${!var}"
    done
    printf '  %-14s %s/staff   (staff console; customer portal at %s/, tenant %s)\n' \
        web "$PORTICO_WEB_URL" "$PORTICO_WEB_URL" "$PORTICO_WEB_TENANT"
    printf '  %-14s %s\n' postgres "$PORTICO_PG_ADMIN_DSN"
    printf '  %-14s %s\n' kafka "$KAFKA_BOOTSTRAP"
    printf '  %-14s smtp://%s:%s, every message lands as a file in %s/new\n' \
        mail "$PORTICO_SMTP_HOST" "$PORTICO_SMTP_PORT" "$PORTICO_MAILDIR"
    printf '  %-14s make logs (FOLLOW=1 make logs to follow); files in %s\n' logs "$LOG_DIR"
    printf '  %-14s make down\n' stop
}

"$HERE/infra.sh" start
"$HERE/services.sh" start
load_demo_data
print_summary
