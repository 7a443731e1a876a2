#!/usr/bin/env bash
# down.sh: stops what up.sh started, in reverse order. Data is kept
# (reset: `make down && rm -rf .portico`).
set -euo pipefail
HERE="$(dirname "${BASH_SOURCE[0]}")"

"$HERE/services.sh" stop
"$HERE/infra.sh" stop
