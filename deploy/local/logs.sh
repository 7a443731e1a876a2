#!/usr/bin/env bash
# logs.sh: the last 50 lines of every log; FOLLOW=1 follows them all instead.
set -euo pipefail
HERE="$(dirname "${BASH_SOURCE[0]}")"
. "$HERE/env.sh"
. "$HERE/lib.sh"

# PostgreSQL logs where Debian puts each cluster's log, not in .portico/.
postgres_log() {
    pg_lsclusters -h 2>/dev/null | awk -v c="$PORTICO_PG_CLUSTER" '$2 == c { print $7; exit }'
}

logs=()
if compgen -G "$LOG_DIR/*.log" >/dev/null; then
    logs=("$LOG_DIR"/*.log)
fi
pglog=$(postgres_log || true)
if [[ -n $pglog && -r $pglog ]]; then logs+=("$pglog"); fi
((${#logs[@]})) || die "no logs yet in $LOG_DIR (nothing started?)"

if [[ ${FOLLOW:-0} == 1 ]]; then
    exec tail -n 20 -F "${logs[@]}"
fi
for log in "${logs[@]}"; do
    printf '\n===== %s =====\n' "$log"
    tail -n 50 "$log"
done
