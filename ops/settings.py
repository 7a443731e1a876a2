"""The tool's settings, read from the same PORTICO_* environment the services use."""
from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from typing import Mapping

from psycopg.conninfo import make_conninfo

import contracts

DEFAULT_SERVICES = "identity invitations notifications documents"


@dataclass(frozen=True)
class Settings:
    bootstrap: str
    prefix: str
    databases: dict[str, str] = field(default_factory=dict)  # service -> DSN
    operator: str = "ops"
    # People's keys (issue 17), so a rebuild reads events as each service's consumers do: identity's own key
    # store, wrapped by PORTICO_SUBJECT_KEK; the others' credential for identity's key release.
    subject_kek: str | None = None
    identity_url: str = "http://127.0.0.1:8101"
    personal_data_tokens: dict[str, str] = field(default_factory=dict)  # service -> its key-release credential

    def topic(self, name: str) -> str:
        """The full topic name: `identity` and `portico.identity` both name portico.identity."""
        return self.prefix + (name if "." in name else f"portico.{name}")

    def event_topics(self) -> list[str]:
        """Every service's topic (the dead-letter topic is not an event stream)."""
        return [self.prefix + t.name for t in contracts.TOPICS if t.name != contracts.DEAD_LETTERS]

    def dead_letter_topic(self) -> str:
        return self.prefix + contracts.DEAD_LETTERS

    def short(self, topic: str) -> str:
        return topic[len(self.prefix):] if self.prefix and topic.startswith(self.prefix) else topic


def from_env(env: Mapping[str, str] | None = None) -> Settings:
    """PORTICO_<SVC>_DATABASE_URL per service, else the admin DSN pointed at portico_<svc>."""
    env = os.environ if env is None else env
    admin = env.get("PORTICO_PG_ADMIN_DSN")
    databases = {}
    for service in env.get("PORTICO_SERVICES", DEFAULT_SERVICES).split():
        dsn = env.get(f"PORTICO_{service.upper()}_DATABASE_URL")
        if not dsn and admin:
            dsn = make_conninfo(admin, dbname=f"portico_{service}")
        if dsn:
            databases[service] = dsn
    return Settings(
        bootstrap=env.get("PORTICO_KAFKA_BOOTSTRAP", "127.0.0.1:19092"),
        prefix=env.get("PORTICO_TOPIC_PREFIX", ""),
        databases=databases,
        operator=env.get("PORTICO_OPERATOR") or _user(),
        subject_kek=env.get("PORTICO_SUBJECT_KEK"),
        identity_url=env.get("PORTICO_IDENTITY_URL", "http://127.0.0.1:8101"),
        personal_data_tokens={s: env[f"PORTICO_PERSONAL_DATA_TOKEN_{s.upper()}"] for s in databases
                              if env.get(f"PORTICO_PERSONAL_DATA_TOKEN_{s.upper()}")},  # as keys.sh export names them
    )


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "ops"
