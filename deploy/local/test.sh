#!/usr/bin/env bash
# test.sh [pytest args...]: starts the infrastructure the tests need
# (PostgreSQL, Kafka, the SMTP sink; not the services) and runs pytest.
# Its exit code is pytest's.
set -euo pipefail
HERE="$(dirname "${BASH_SOURCE[0]}")"
. "$HERE/env.sh"
. "$HERE/lib.sh"

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
