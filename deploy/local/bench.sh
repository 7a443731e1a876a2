#!/usr/bin/env bash
# bench.sh [benchmark ...]: starts the infrastructure (PostgreSQL, Kafka), then
# `python -m bench`, which runs each benchmark BENCH_REPEAT (3) times, prints the table, issue 15's
# targets and the CPU by process, and writes bench-results/<timestamp>.json (every run is kept).
# Each benchmark makes its own databases and topics and removes them afterwards.
#
# `make up`'s services would share the cores with what is measured, so a running stack is refused
# (saying how to stop it), or stopped first with BENCH_STOP_STACK=1; Kafka and PostgreSQL stay up.
set -euo pipefail
HERE="$(dirname "${BASH_SOURCE[0]}")"
. "$HERE/env.sh"
. "$HERE/lib.sh"

running=()
for name in web $PORTICO_SERVICES; do
    for process in "$name" "$name-web" "$name-worker"; do
        if pid=$(running_pid "$process"); then running+=("$process (pid $pid)"); fi
    done
done
if ((${#running[@]})); then
    if [[ "${BENCH_STOP_STACK:-0}" == 1 ]]; then
        say "stopping make up's services for the benchmarks: ${running[*]}"
        "$HERE/services.sh" stop
    else
        die "make up's services are running: ${running[*]}. Their work would be in the figures. Stop them with
    bash deploy/local/services.sh stop   (keeps Kafka and PostgreSQL; make up starts them again)
or let make bench stop them: BENCH_STOP_STACK=1 make bench"
    fi
fi

"$HERE/infra.sh" start

cd "$PORTICO_ROOT"
say "running python -m bench $* (each figure ${BENCH_REPEAT:-3} times)"
exec "$VENV/bin/python" -m bench "$@"
