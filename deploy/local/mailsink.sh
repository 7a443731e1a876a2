#!/usr/bin/env bash
# mailsink.sh start|stop|status
#
# An SMTP server that accepts everything and stores each message as a file in
# the Maildir $PORTICO_MAILDIR (new/ holds one file per message): tests and
# people read mail there instead of a real inbox.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NAME=mailsink

cmd_start() {
    require_venv
    # aiosmtpd's Mailbox creates the Maildir itself but not its parents; make
    # the whole thing so readers never race the first message.
    mkdir -p "$PORTICO_MAILDIR"/{cur,new,tmp}
    # A sink of another checkout on our port would take our mail into its own Maildir, and tests
    # reading ours would wait in vain: refuse, rather than look ready.
    if ! is_running "$NAME" && tcp_open "$PORTICO_SMTP_HOST" "$PORTICO_SMTP_PORT"; then
        die "something else (another checkout's mail sink?) listens on $PORTICO_SMTP_HOST:$PORTICO_SMTP_PORT; its mail would not reach $PORTICO_MAILDIR. Stop it (make infra-down in that checkout) or set PORTICO_SMTP_PORT."
    fi
    # -n: as root, aiosmtpd would otherwise switch to the user "nobody", who
    # cannot write to the Maildir.
    start_bg "$NAME" "$VENV/bin/python" -m aiosmtpd -n \
        -l "$PORTICO_SMTP_HOST:$PORTICO_SMTP_PORT" \
        -c aiosmtpd.handlers.Mailbox "$PORTICO_MAILDIR"
    wait_until "$NAME" 20 tcp_open "$PORTICO_SMTP_HOST" "$PORTICO_SMTP_PORT"
    say "mail sink on $PORTICO_SMTP_HOST:$PORTICO_SMTP_PORT, mail in $PORTICO_MAILDIR/new"
}

[[ ${1:-} == status ]] || take_lock mailsink
case "${1:-}" in
    start) cmd_start ;;
    stop) stop_bg "$NAME" ;;
    status) status_bg "$NAME" ;;
    *) die "usage: $0 start|stop|status" ;;
esac
