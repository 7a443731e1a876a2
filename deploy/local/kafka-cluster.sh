#!/usr/bin/env bash
# kafka-cluster.sh start|stop|status|reset|bootstrap|kill N|start-node N|stop-node N
#
# A local three-node KRaft cluster (each node a broker and a controller, one JVM each, on loopback)
# from the same jars as kafka.sh, for what deploy/SCALING.md promises of a real cluster: topics with
# replication factor 3 and min.insync.replicas=2, a broker lost without losing an acknowledged event.
# It never touches the single broker of kafka.sh (port 19092), which stays what `make up` and
# `make test` use. Clients reach it at $KAFKA_CLUSTER_BOOTSTRAP (`kafka-cluster.sh bootstrap`).
#   kill N        SIGKILL node N (1-3), as a lost machine; start-node N brings it back
#   reset         kill every node, a leftover of a killed run too, and delete the cluster's data
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NODES=(1 2 3)
PORT_BASE="${KAFKA_CLUSTER_PORT_BASE:-29091}"              # node N listens on base+N: 29092..29094
CONTROLLER_PORT_BASE="${KAFKA_CLUSTER_CONTROLLER_PORT_BASE:-29191}"  # and its controller on 29192..29194
CLUSTER_DIR="$PORTICO_STATE/kafka-cluster"
CONF_SRC="$PORTICO_ROOT/deploy/kafka"
LIBS="$KAFKA_HOME/libs"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-180}"
# Three JVMs beside everything else on a small machine: small heaps, the C1 compiler only (a
# broker's hot paths are I/O, and C2 compiling costs a loaded machine's CPU at every start).
read -r -a HEAP_OPTS <<<"${KAFKA_CLUSTER_HEAP_OPTS:--Xms128m -Xmx384m}"
JAVA_CMD=(java "${HEAP_OPTS[@]}" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError
    -Djava.awt.headless=true -cp "$LIBS/*")

port_of() { echo $((PORT_BASE + $1)); }
controller_port_of() { echo $((CONTROLLER_PORT_BASE + $1)); }
name_of() { echo "kafka-cluster-$1"; }
node_dir() { echo "$CLUSTER_DIR/node-$1"; }
bootstrap() { local n out=(); for n in "${NODES[@]}"; do out+=("127.0.0.1:$(port_of "$n")"); done; (IFS=,; echo "${out[*]}"); }
voters() { local n out=(); for n in "${NODES[@]}"; do out+=("$n@127.0.0.1:$(controller_port_of "$n")"); done; (IFS=,; echo "${out[*]}"); }

check_node() {
    [[ " ${NODES[*]} " == *" ${1:-} "* ]] || die "no node '${1:-}': the nodes are ${NODES[*]}"
}

render_config() {
    local n=$1 dir
    dir=$(node_dir "$n")
    mkdir -p "$dir/data"
    sed -e "s|@NODE@|$n|g" -e "s|@PORT@|$(port_of "$n")|g" -e "s|@CONTROLLER_PORT@|$(controller_port_of "$n")|g" \
        -e "s|@VOTERS@|$(voters)|g" -e "s|@DATA_DIR@|$dir/data|g" \
        "$CONF_SRC/cluster-node.properties" >"$dir/server.properties"
}

# One cluster id for the three nodes, chosen at the first start: what `kafka-storage.sh random-uuid`
# prints (16 random bytes, base64url without padding, never starting with "-"), without a JVM for it.
cluster_id() {
    local id
    [[ -f $CLUSTER_DIR/cluster.id ]] && { cat "$CLUSTER_DIR/cluster.id"; return; }
    until [[ ${id:-} && $id != -* ]]; do
        id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
    done
    echo "$id" | tee "$CLUSTER_DIR/cluster.id"
}

# Each node formatted once.
format_storage() {
    local n=$1 id=$2 dir tool=("${JAVA_CMD[@]}" -Dlog4j2.configurationFile="$CONF_SRC/tools-log4j2.xml" kafka.tools.StorageTool)
    dir=$(node_dir "$n")
    [[ -f $dir/data/meta.properties ]] && return 0
    say "formatting node $n in $dir/data (cluster id $id)"
    "${tool[@]}" format --cluster-id "$id" --config "$dir/server.properties" >/dev/null
}

# The cluster answers a metadata request naming the given number of brokers.
brokers_answer() {
    "$VENV/bin/python" - "$(bootstrap)" "$1" <<'PY'
import sys
from kafka.admin import KafkaAdminClient

admin = KafkaAdminClient(bootstrap_servers=sys.argv[1], request_timeout_ms=5000)
try:
    brokers = admin.describe_cluster()["brokers"]
    sys.exit(0 if len(brokers) >= int(sys.argv[2]) else 1)
finally:
    admin.close()
PY
}

# The metadata question costs a Python start: ask it only once the nodes' ports are open, so that
# it does not take CPU from JVMs still starting.
node_answers() { tcp_open 127.0.0.1 "$(port_of "$1")" && brokers_answer "$2"; }
cluster_answers() {
    local n
    for n in "${NODES[@]}"; do tcp_open 127.0.0.1 "$(port_of "$n")" || return 1; done
    brokers_answer "${#NODES[@]}"
}

# Formats the nodes not formatted yet, side by side (a JVM each).
prepare_nodes() {
    local n id pids=()
    ensure_state_dirs
    mkdir -p "$CLUSTER_DIR"
    id=$(cluster_id)
    for n in "$@"; do
        is_running "$(name_of "$n")" && continue
        render_config "$n"
        format_storage "$n" "$id" &
        pids+=($!)
    done
    for n in "${pids[@]}"; do wait "$n" || die "formatting a node's storage failed"; done
}

launch_node() {
    start_bg "$(name_of "$1")" "${JAVA_CMD[@]}" -Dlog4j2.configurationFile="$CONF_SRC/log4j2.xml" \
        kafka.Kafka "$(node_dir "$1")/server.properties"
}

cmd_start() {
    compgen -G "$LIBS/kafka_2.13-*.jar" >/dev/null || die "kafka jars missing in $LIBS: run deploy/local/install.sh"
    require_venv
    local n
    prepare_nodes "${NODES[@]}"
    for n in "${NODES[@]}"; do launch_node "$n"; done
    # A controller needs a majority of voters before any broker registers: start all, then wait.
    wait_until "$(name_of 1)" "$KAFKA_START_TIMEOUT" cluster_answers
    say "kafka cluster ready on $(bootstrap)"
}

cmd_start_node() {
    check_node "$1"
    prepare_nodes "$1"
    launch_node "$1"
    wait_until "$(name_of "$1")" "$KAFKA_START_TIMEOUT" node_answers "$1" "${#NODES[@]}"
}

cmd_kill() {
    local pid
    check_node "$1"
    pid=$(running_pid "$(name_of "$1")") || die "node $1 is not running"
    say "killing node $1 (pid $pid) with SIGKILL"
    kill -KILL "$pid"
    while is_running "$(name_of "$1")"; do sleep 0.1; done
}

# A node's JVM whose pid file is gone (a state directory half cleaned by hand), found by the
# configuration file only this node's command line names; reset refuses rather than guess.
stray_pids() {
    local conf=$1 pid
    for pid in $(pgrep -f -- "kafka.Kafka $conf" || true); do echo "$pid"; done
}

cmd_reset() {
    local n pid
    for n in "${NODES[@]}"; do
        if is_running "$(name_of "$n")"; then  # its data goes next: nothing to shut down cleanly
            say "node $n is running (pid $(running_pid "$(name_of "$n")")): killing it"
            cmd_kill "$n"
        fi
        rm -f "$(pid_file "$(name_of "$n")")"
        for pid in $(stray_pids "$(node_dir "$n")/server.properties"); do
            die "node $n runs as pid $pid without its pid file in $RUN_DIR: stop that process, then reset again"
        done
    done
    rm -rf "$CLUSTER_DIR"
    say "kafka cluster reset (its data deleted)"
}

cmd_status() {
    local n rc=0
    for n in "${NODES[@]}"; do status_bg "$(name_of "$n")" || rc=1; done
    return "$rc"
}

[[ ${1:-} == status || ${1:-} == bootstrap ]] || take_lock kafka-cluster
case "${1:-}" in
    start) cmd_start ;;
    stop) for n in "${NODES[@]}"; do stop_bg "$(name_of "$n")" 30; done ;;
    status) cmd_status ;;
    reset) cmd_reset ;;
    bootstrap) bootstrap ;;
    kill) cmd_kill "${2:-}" ;;
    start-node) cmd_start_node "${2:-}" ;;
    stop-node) check_node "${2:-}"; stop_bg "$(name_of "$2")" 30 ;;
    *) die "usage: $0 start|stop|status|reset|bootstrap|kill N|start-node N|stop-node N" ;;
esac
