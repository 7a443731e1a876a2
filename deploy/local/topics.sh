#!/usr/bin/env bash
# topics.sh: creates the project's Kafka topics. The broker never creates
# topics on its own (auto.create.topics.enable=false), so the list lives in
# eventkit and this only asks it to apply it; safe to run again.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_venv
if [[ ! -f $PORTICO_ROOT/eventkit/admin.py ]]; then
    say "eventkit/admin.py does not exist yet: no topics created"
    exit 0
fi
say "ensuring kafka topics (python -m eventkit.admin ensure-topics)"
cd "$PORTICO_ROOT"
"$VENV/bin/python" -m eventkit.admin ensure-topics
