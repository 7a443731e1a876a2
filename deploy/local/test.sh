#!/usr/bin/env bash
# test.sh [pytest args...]: starts the infrastructure the tests need
# (PostgreSQL, Kafka, the SMTP sink; not the services) and runs pytest.
# Its exit code is pytest's.
set -euo pipefail
HERE="$(dirname "${BASH_SOURCE[0]}")"
. "$HERE/env.sh"
. "$HERE/lib.sh"

# The test broker is short-lived and restarted by the fault tests under load: the client compiler
# alone and the serial collector start it in two thirds of the time (7 s against 11 s idle), as
# kafka-cluster.sh starts its nodes. A broker already running (make up, make infra) is reused as it is.
export KAFKA_JVM_OPTS="${KAFKA_JVM_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
"$HERE/infra.sh" start

cd "$PORTICO_ROOT"
say "running pytest $*"
rc=0
"$VENV/bin/pytest" "$@" || rc=$?
# pytest's 5 means it collected nothing: a suite that silently vanished
# (wrong path, broken conftest filter) must not look like a pass.
if ((rc == 5)); then
    say "pytest collected no tests: failing"
fi
exit "$rc"
