"""Where the tests find Kafka and PostgreSQL: testcontainers when a Docker engine answers, otherwise
the natively started services (`make test` starts them with deploy/local/*.sh)."""
from __future__ import annotations

import os
import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Infra:
    kafka_bootstrap: str
    pg_admin_dsn: str
    smtp_host: str
    smtp_port: int
    maildir: Path
    stop_kafka: Callable[[], None]
    start_kafka: Callable[[], None]
    close: Callable[[], None]
    # The mail sink is started natively in both cases (deploy/local/mailsink.sh).
    stop_smtp: Callable[[], None] = field(default=lambda: _script("mailsink.sh", "stop")())
    start_smtp: Callable[[], None] = field(default=lambda: _script("mailsink.sh", "start")())


def docker_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


def _script(name: str, action: str) -> Callable[[], None]:
    def run():
        subprocess.run(["bash", str(ROOT / "deploy" / "local" / name), action], check=True,
                       stdout=subprocess.DEVNULL)
    return run


def _listening(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((host, port)) == 0


def native() -> Infra:
    bootstrap = os.environ.get("PORTICO_KAFKA_BOOTSTRAP", "127.0.0.1:19092")
    dsn = os.environ.get("PORTICO_PG_ADMIN_DSN",
                         "postgresql://portico_admin:portico_admin@127.0.0.1:54329/postgres")
    host, port = bootstrap.split(":")
    if not _listening(host, int(port)):
        raise RuntimeError(f"No Kafka broker at {bootstrap}: run the tests with `make test`, "
                           "which starts Kafka, PostgreSQL and the mail sink.")
    maildir = Path(os.environ.get("PORTICO_MAILDIR", ROOT / ".portico" / "mail"))
    return Infra(bootstrap, dsn, "127.0.0.1", int(os.environ.get("PORTICO_SMTP_PORT", 8025)), maildir,
                 _script("kafka.sh", "stop"), _script("kafka.sh", "start"), lambda: None)


def containers() -> Infra:
    from testcontainers.kafka import KafkaContainer
    from testcontainers.postgres import PostgresContainer

    kafka = KafkaContainer("confluentinc/cp-kafka:7.6.0").with_kraft()
    kafka.start()
    postgres = PostgresContainer("postgres:15", username="portico_admin", password="portico_admin",
                                 dbname="postgres", driver=None)
    postgres.start()
    maildir = Path(os.environ.get("PORTICO_MAILDIR", ROOT / ".portico" / "mail"))

    def close():
        kafka.stop()
        postgres.stop()

    return Infra(kafka.get_bootstrap_server(), postgres.get_connection_url(), "127.0.0.1",
                 int(os.environ.get("PORTICO_SMTP_PORT", 8025)), maildir,
                 lambda: kafka.get_wrapped_container().pause(),
                 lambda: kafka.get_wrapped_container().unpause(), close)


def start() -> Infra:
    return containers() if docker_answers() else native()
