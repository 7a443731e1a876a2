#!/usr/bin/env bash
# rehearse-ci.sh [git-ref]: run .ci/run as CI would (a fresh clone, CI=true, no stdin), without
# touching the running stack: inside a network namespace of its own, so its freshly formatted Kafka
# and its own PostgreSQL cluster (on a port of its own) stay apart.
set -euo pipefail
say() { printf '[portico] %s\n' "$*"; }

ref="${1:-HEAD}"
ns="portico-ci-$$"
work="$(mktemp -d /tmp/portico-ci.XXXXXX)"
cluster="porticoci$$"
pgport=$((55000 + $$ % 1000))  # its own: the unix socket directory is shared with the running stack

cleanup() {
    ip netns exec "$ns" bash -c "cd '$work/repo' && PORTICO_PG_CLUSTER=$cluster PORTICO_PG_PORT=$pgport bash deploy/local/down.sh" \
        >/dev/null 2>&1 || true
    ip netns exec "$ns" bash -c "cd '$work/repo' && PORTICO_PG_CLUSTER=$cluster PORTICO_PG_PORT=$pgport bash deploy/local/infra.sh stop" \
        >/dev/null 2>&1 || true
    pg_dropcluster --stop "$(ls /usr/lib/postgresql | sort -n | tail -1)" "$cluster" >/dev/null 2>&1 || true
    ip netns delete "$ns" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

git clone -q "$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)" "$work/repo"
git -C "$work/repo" checkout -q "$ref"
# The namespace has no route to the package registries: install (the same script .ci/run calls
# first) in the clone from outside, so .ci/run inside finds it done and only starts and tests.
(cd "$work/repo" && env -u VENV -u PORTICO_ROOT -u PORTICO_STATE bash deploy/local/install.sh)
ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
say "rehearsing CI for $(git -C "$work/repo" rev-parse --short HEAD) in $work/repo (namespace $ns)"
start=$(date +%s)
rc=0
ip netns exec "$ns" env CI=true PORTICO_PG_CLUSTER="$cluster" PORTICO_PG_PORT=$pgport bash -c "cd '$work/repo' && bash .ci/run" </dev/null || rc=$?
say "CI rehearsal exited $rc after $(( $(date +%s) - start )) s"
exit "$rc"
