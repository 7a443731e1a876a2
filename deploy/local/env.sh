# Sourced by every deploy/local script (and usable by hand: `. deploy/local/env.sh`).
# Each value can be overridden by setting it in the environment first.

PORTICO_ROOT="${PORTICO_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
# Everything a run leaves behind (pids, logs, Kafka data, mail) lives here, so
# `rm -rf .portico` is a reset. It is in .gitignore.
PORTICO_STATE="${PORTICO_STATE:-$PORTICO_ROOT/.portico}"
# Downloads that survive a reset and are shared by every checkout (Kafka jars).
PORTICO_CACHE="${PORTICO_CACHE:-$HOME/.cache/portico}"
VENV="${VENV:-$PORTICO_ROOT/.venv}"

# Where clients find the broker. The local broker's own ports are fixed in
# deploy/kafka/server.properties.
KAFKA_BOOTSTRAP="${KAFKA_BOOTSTRAP:-127.0.0.1:19092}"
PORTICO_KAFKA_BOOTSTRAP="${PORTICO_KAFKA_BOOTSTRAP:-$KAFKA_BOOTSTRAP}"
KAFKA_VERSION="${KAFKA_VERSION:-4.1.1}"
KAFKA_HOME="${KAFKA_HOME:-$PORTICO_CACHE/kafka-$KAFKA_VERSION}"

PORTICO_PG_HOST="${PORTICO_PG_HOST:-127.0.0.1}"
PORTICO_PG_PORT="${PORTICO_PG_PORT:-54329}"
PORTICO_PG_CLUSTER="${PORTICO_PG_CLUSTER:-portico}"
PORTICO_PG_ADMIN_DSN="${PORTICO_PG_ADMIN_DSN:-postgresql://portico_admin:portico_admin@$PORTICO_PG_HOST:$PORTICO_PG_PORT/postgres}"

PORTICO_SMTP_HOST="${PORTICO_SMTP_HOST:-127.0.0.1}"
PORTICO_SMTP_PORT="${PORTICO_SMTP_PORT:-8025}"
PORTICO_MAILDIR="${PORTICO_MAILDIR:-$PORTICO_STATE/mail}"

# Order matters: it is the start order, and services.sh stops in reverse.
PORTICO_SERVICES="${PORTICO_SERVICES:-identity invitations notifications documents}"
PORTICO_IDENTITY_PORT="${PORTICO_IDENTITY_PORT:-8101}"
PORTICO_INVITATIONS_PORT="${PORTICO_INVITATIONS_PORT:-8102}"
PORTICO_NOTIFICATIONS_PORT="${PORTICO_NOTIFICATIONS_PORT:-8103}"
PORTICO_DOCUMENTS_PORT="${PORTICO_DOCUMENTS_PORT:-8104}"
# Services and tests find each other through these.
PORTICO_IDENTITY_URL="${PORTICO_IDENTITY_URL:-http://127.0.0.1:$PORTICO_IDENTITY_PORT}"
PORTICO_INVITATIONS_URL="${PORTICO_INVITATIONS_URL:-http://127.0.0.1:$PORTICO_INVITATIONS_PORT}"
PORTICO_NOTIFICATIONS_URL="${PORTICO_NOTIFICATIONS_URL:-http://127.0.0.1:$PORTICO_NOTIFICATIONS_PORT}"
PORTICO_DOCUMENTS_URL="${PORTICO_DOCUMENTS_URL:-http://127.0.0.1:$PORTICO_DOCUMENTS_PORT}"
# So that `python -m <svc>...`, `python -m eventkit...` and tests import the
# project's packages without installing them.
# (Scripts source this file again when they call each other: add it once.)
case ":${PYTHONPATH:-}:" in
    *":$PORTICO_ROOT:$PORTICO_ROOT/services:"*) ;;
    *) PYTHONPATH="$PORTICO_ROOT:$PORTICO_ROOT/services${PYTHONPATH:+:$PYTHONPATH}" ;;
esac

export PORTICO_ROOT PORTICO_STATE PORTICO_CACHE VENV \
    KAFKA_BOOTSTRAP PORTICO_KAFKA_BOOTSTRAP KAFKA_VERSION KAFKA_HOME \
    PORTICO_PG_HOST PORTICO_PG_PORT PORTICO_PG_CLUSTER PORTICO_PG_ADMIN_DSN \
    PORTICO_SMTP_HOST PORTICO_SMTP_PORT PORTICO_MAILDIR PORTICO_SERVICES \
    PORTICO_IDENTITY_PORT PORTICO_INVITATIONS_PORT PORTICO_NOTIFICATIONS_PORT PORTICO_DOCUMENTS_PORT \
    PORTICO_IDENTITY_URL PORTICO_INVITATIONS_URL PORTICO_NOTIFICATIONS_URL PORTICO_DOCUMENTS_URL \
    PYTHONPATH
