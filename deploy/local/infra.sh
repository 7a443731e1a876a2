#!/usr/bin/env bash
# infra.sh start|stop|status: what the services and the tests stand on
# (PostgreSQL, Kafka, the SMTP sink), without the services themselves.
set -euo pipefail
HERE="$(dirname "${BASH_SOURCE[0]}")"
. "$HERE/env.sh"
. "$HERE/lib.sh"

case "${1:-}" in
    start)
        "$HERE/install.sh"
        "$HERE/postgres.sh" start
        "$HERE/kafka.sh" start
        "$HERE/mailsink.sh" start
        ;;
    stop)
        "$HERE/mailsink.sh" stop
        "$HERE/kafka.sh" stop
        "$HERE/postgres.sh" stop
        ;;
    status)
        rc=0
        "$HERE/postgres.sh" status || rc=1
        "$HERE/kafka.sh" status || rc=1
        "$HERE/mailsink.sh" status || rc=1
        exit "$rc"
        ;;
    *) die "usage: $0 start|stop|status" ;;
esac
