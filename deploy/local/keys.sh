#!/usr/bin/env bash
# keys.sh env <service>: the PORTICO_* key variables one service needs, as KEY=value lines.
#
# The keys are made once and kept in $PORTICO_STATE/keys (0700): identity's JWT signing key (an
# Ed25519 private JWK) and the notifications service's key pair for sealed link tokens. Every
# service gets the sealing public key, identity the signing key, notifications the private key.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KEYS_DIR="$PORTICO_STATE/keys"

make_once() {
    local file=$1
    shift
    [[ -s $KEYS_DIR/$file ]] && return 0
    (umask 077 && "$@" >"$KEYS_DIR/$file.tmp" && mv "$KEYS_DIR/$file.tmp" "$KEYS_DIR/$file")
}

make_keys() {
    mkdir -p "$KEYS_DIR"
    chmod 700 "$KEYS_DIR"
    cd "$PORTICO_ROOT"
    make_once jwt-signing-key.json "$VENV/bin/python" -m identity.entrypoints.admin_cli signing-key
    make_once sealed.env "$VENV/bin/python" -m eventkit.sealed keygen
    # Crypto-shredding (issue 17): the key that wraps people's data keys, and each consumer's credential for
    # identity's key release.
    make_once subject-kek "$VENV/bin/python" -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())'
    local service
    for service in notifications invitations documents; do
        make_once "personal-data-$service" "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(32))'
    done
    make_once web-session-secret "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(48))'
}

sealed_key() { sed -n "s/^$1=//p" "$KEYS_DIR/sealed.env"; }

cmd_env() {
    make_keys
    # Public: any service may seal a link for notifications (identity's password links, invitations' links).
    echo "PORTICO_SEALED_PUBLIC_KEY=$(sealed_key SEALED_PUBLIC_KEY)"
    case "$1" in
        identity)
            echo "PORTICO_JWT_SIGNING_KEY=$(cat "$KEYS_DIR/jwt-signing-key.json")"
            echo "PORTICO_SUBJECT_KEK=$(cat "$KEYS_DIR/subject-kek")"
            echo "PORTICO_PERSONAL_DATA_CALLERS={\"notifications\": \"$(cat "$KEYS_DIR/personal-data-notifications")\", \"invitations\": \"$(cat "$KEYS_DIR/personal-data-invitations")\", \"documents\": \"$(cat "$KEYS_DIR/personal-data-documents")\"}"
            ;;
        notifications)
            echo "PORTICO_SEALED_PRIVATE_KEY=$(sealed_key SEALED_PRIVATE_KEY)"
            echo "PORTICO_PERSONAL_DATA_TOKEN=$(cat "$KEYS_DIR/personal-data-notifications")"
            ;;
        invitations|documents) echo "PORTICO_PERSONAL_DATA_TOKEN=$(cat "$KEYS_DIR/personal-data-$1")" ;;
        web) echo "PORTICO_WEB_SECRET_KEY=$(cat "$KEYS_DIR/web-session-secret")" ;;
    esac
}

# For docker compose: every key as a shell export line (eval "$(keys.sh export)").
cmd_export() {
    make_keys
    local line
    while IFS= read -r line; do
        printf 'export %s=%q\n' "${line%%=*}" "${line#*=}"
    done < <(cmd_env identity; cmd_env notifications | grep -v -e PUBLIC -e PERSONAL_DATA_TOKEN)
    # Each consumer's own credential for identity's key release, by service (compose maps it to its service).
    local service
    for service in notifications invitations documents; do
        printf 'export PORTICO_PERSONAL_DATA_TOKEN_%s=%q\n' "${service^^}" "$(cat "$KEYS_DIR/personal-data-$service")"
    done
}

case "${1:-}" in
    env) cmd_env "${2:?usage: $0 env <service>}" ;;
    export) cmd_export ;;
    *) die "usage: $0 env <service> | export" ;;
esac
