#!/usr/bin/env bash
# kafka.sh start|stop|status
#
# One KRaft broker+controller, run straight from the jars that install.sh
# fetched from Maven Central (no tarball, no Docker).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NAME=kafka
CONF_SRC="$PORTICO_ROOT/deploy/kafka"
CONF_DIR="$PORTICO_STATE/kafka"
DATA_DIR="$PORTICO_STATE/kafka-data"
LIBS="$KAFKA_HOME/libs"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
# Small heap: a test broker holds little data. Override with KAFKA_HEAP_OPTS; the collector and
# compiler with KAFKA_JVM_OPTS (test.sh gives its broker the ones that start fastest).
read -r -a HEAP_OPTS <<<"${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
read -r -a JVM_OPTS <<<"${KAFKA_JVM_OPTS:--XX:+UseG1GC}"
JAVA_CMD=(java "${HEAP_OPTS[@]}" "${JVM_OPTS[@]}" -XX:+ExitOnOutOfMemoryError
    -Djava.awt.headless=true -cp "$LIBS/*")

render_config() {
    mkdir -p "$CONF_DIR"
    sed "s|@PORTICO_STATE@|$PORTICO_STATE|g" "$CONF_SRC/server.properties" >"$CONF_DIR/server.properties"
}

# Like `kafka-storage.sh format --standalone`: a new cluster id, this node as
# the only voter. Skipped once the data directory has its meta.properties.
format_storage() {
    [[ -f $DATA_DIR/meta.properties ]] && return 0
    local tool=("${JAVA_CMD[@]}" -Dlog4j2.configurationFile="$CONF_SRC/tools-log4j2.xml" kafka.tools.StorageTool)
    local cluster_id
    cluster_id=$("${tool[@]}" random-uuid)
    say "formatting kafka storage in $DATA_DIR (cluster id $cluster_id)"
    "${tool[@]}" format --standalone --cluster-id "$cluster_id" \
        --config "$CONF_DIR/server.properties" >/dev/null
}

# The broker answers a metadata request (not merely an open port).
broker_answers() {
    local first=${KAFKA_BOOTSTRAP%%,*}
    tcp_open "${first%:*}" "${first##*:}" || return 1
    "$VENV/bin/python" - "$KAFKA_BOOTSTRAP" <<'PY'
import sys
from kafka.admin import KafkaAdminClient

admin = KafkaAdminClient(bootstrap_servers=sys.argv[1], request_timeout_ms=5000)
try:
    admin.list_topics()
finally:
    admin.close()
PY
}

cmd_start() {
    compgen -G "$LIBS/kafka_2.13-*.jar" >/dev/null || die "kafka jars missing in $LIBS: run deploy/local/install.sh"
    require_venv
    if ! is_running "$NAME"; then
        ensure_state_dirs
        render_config
        format_storage
    fi
    # No-op when already running; then the wait below returns at once.
    start_bg "$NAME" "${JAVA_CMD[@]}" -Dlog4j2.configurationFile="$CONF_SRC/log4j2.xml" \
        kafka.Kafka "$CONF_DIR/server.properties"
    wait_until "$NAME" "$KAFKA_START_TIMEOUT" broker_answers
    say "kafka ready on $KAFKA_BOOTSTRAP"
}

[[ ${1:-} == status ]] || take_lock kafka
case "${1:-}" in
    start) cmd_start ;;
    # A clean shutdown can take a few seconds (it flushes and closes the log).
    stop) stop_bg "$NAME" 30 ;;
    status) status_bg "$NAME" ;;
    *) die "usage: $0 start|stop|status" ;;
esac
