#!/usr/bin/env bash
# bench.sh [benchmark ...]: starts the infrastructure (PostgreSQL, Kafka), then
# `python -m bench`, which prints the table and writes bench-results/<timestamp>.json.
# Each benchmark makes its own databases and topics and removes them afterwards.
set -euo pipefail
HERE="$(dirname "${BASH_SOURCE[0]}")"
. "$HERE/env.sh"
. "$HERE/lib.sh"

"$HERE/infra.sh" start

cd "$PORTICO_ROOT"
say "running python -m bench $*"
exec "$VENV/bin/python" -m bench "$@"
