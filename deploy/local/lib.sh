# Shared helpers, sourced after env.sh.
#
# Every long-running process we start gets $PORTICO_STATE/run/<name>.pid
# ("<pid> <start time>") and $PORTICO_STATE/logs/<name>.log. The start time
# (from /proc) makes sure `stop` never signals a recycled pid that now belongs
# to something else.

RUN_DIR="$PORTICO_STATE/run"
LOG_DIR="$PORTICO_STATE/logs"

say() { printf '[portico] %s\n' "$*"; }
die() { printf '[portico] ERROR: %s\n' "$*" >&2; exit 1; }

ensure_state_dirs() { mkdir -p "$RUN_DIR" "$LOG_DIR"; }

pid_file() { echo "$RUN_DIR/$1.pid"; }
log_file() { echo "$LOG_DIR/$1.log"; }

# Field 22 of /proc/<pid>/stat; the command name (field 2) may contain spaces,
# so cut everything up to its closing parenthesis first.
proc_start_time() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    set -- $stat
    echo "${20}"
}

# Prints the pid of <name> if the process we recorded is still the one running.
running_pid() {
    local file pid started now
    file=$(pid_file "$1")
    [[ -f $file ]] || return 1
    read -r pid started <"$file" || true
    [[ -n ${pid:-} ]] || return 1
    now=$(proc_start_time "$pid") || return 1
    [[ $now == "${started:-}" ]] || return 1
    echo "$pid"
}

is_running() { running_pid "$1" >/dev/null; }

# take_lock <name>: one start/stop of <name> at a time, e.g. a test that
# restarts Kafka while another terminal runs `make test`. Released when the
# script exits.
take_lock() {
    ensure_state_dirs
    exec {LOCK_FD}>"$RUN_DIR/$1.lock"
    flock "$LOCK_FD"
}

# start_bg <name> <command...>: no-op when <name> already runs.
# setsid puts the process in its own session so that a Ctrl-C in the terminal
# that ran `make up` does not reach it.
start_bg() {
    local name=$1 pid
    shift
    ensure_state_dirs
    if pid=$(running_pid "$name"); then
        say "$name already running (pid $pid)"
        return 0
    fi
    printf '\n=== %s starting at %s ===\n' "$name" "$(date -Is)" >>"$(log_file "$name")"
    (
        # The process must not inherit our lock (see take_lock), or it would
        # hold it for as long as it runs.
        if [[ -n ${LOCK_FD:-} ]]; then exec {LOCK_FD}>&-; fi
        exec setsid "$@" </dev/null >>"$(log_file "$name")" 2>&1
    ) &
    pid=$!
    echo "$pid $(proc_start_time "$pid")" >"$(pid_file "$name")"
    say "$name started (pid $pid, log $(log_file "$name"))"
}

# stop_bg <name> [seconds]: TERM, wait, then KILL; only the recorded pid.
stop_bg() {
    local name=$1 timeout=${2:-20} pid i
    if ! pid=$(running_pid "$name"); then
        rm -f "$(pid_file "$name")"
        say "$name not running"
        return 0
    fi
    say "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < timeout * 10; i++)); do
        is_running "$name" || break
        sleep 0.1
    done
    if is_running "$name"; then
        say "$name did not stop after ${timeout}s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$(pid_file "$name")"
}

status_bg() {
    local pid
    if pid=$(running_pid "$1"); then
        say "$1: running (pid $pid)"
    else
        say "$1: stopped"
        return 1
    fi
}

tail_log() {
    local file
    file=$(log_file "$1")
    [[ -f $file ]] || return 0
    printf -- '--- last %s lines of %s ---\n' "${2:-40}" "$file" >&2
    tail -n "${2:-40}" "$file" >&2
}

# wait_until <name> <seconds> <check command...>: polls the check; fails early
# if the process <name> died, and shows its log either way on failure.
wait_until() {
    local name=$1 timeout=$2 start=$SECONDS
    shift 2
    until "$@" >/dev/null 2>&1; do
        if ! is_running "$name"; then
            tail_log "$name"
            die "$name exited while starting (see $(log_file "$name"))"
        fi
        if ((SECONDS - start >= timeout)); then
            tail_log "$name"
            die "$name not ready after ${timeout}s (see $(log_file "$name"))"
        fi
        sleep 0.5
    done
    say "$name ready after $((SECONDS - start))s"
}

require_venv() {
    [[ -x $VENV/bin/python ]] || die "no virtualenv at $VENV: run deploy/local/install.sh (or make install)"
}

# True when something accepts TCP connections on <host> <port>.
tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
