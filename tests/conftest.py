"""Fixtures shared by every tier: infrastructure, one database per service, one topic namespace."""
from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

import contracts
from eventkit.consumer import ConsumerRunner
from eventkit.kafka import ensure_topics
from eventkit.worker import guarded

from . import infra as infrastructure

# Each service's fixtures live in a module of their own; every tier may use them.
pytest_plugins = ["tests.fixtures.identity", "tests.fixtures.invitations", "tests.fixtures.documents",
                  "tests.fixtures.notifications"]


def pytest_collection_modifyitems(config, items):
    """Run the tests that stop or break a real part last: the other tests then never wait on a broker
    or a consumer group that is still recovering from them."""
    items.sort(key=lambda item: item.get_closest_marker("fault") is not None)


def pytest_configure(config):
    config.addinivalue_line("markers", "fault: stops or breaks a real part (broker, database, SMTP)")


@pytest.fixture(scope="session")
def infra():
    started = infrastructure.start()
    yield started
    started.close()


@pytest.fixture(scope="session")
def topic_prefix(infra):
    """A namespace of fresh topics for this test run, so runs and `make up` never share a topic."""
    prefix = f"test-{uuid.uuid4().hex[:8]}."
    ensure_topics(infra.kafka_bootstrap, contracts.TOPICS, prefix)
    yield prefix
    from kafka import KafkaAdminClient

    admin = KafkaAdminClient(bootstrap_servers=infra.kafka_bootstrap)
    try:
        admin.delete_topics([t for t in admin.list_topics() if t.startswith(prefix)])
    except Exception:  # deletion is housekeeping; a broker restarted by a fault test may refuse it
        pass
    finally:
        admin.close()


def _create_database(admin_dsn: str, name: str) -> str:
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return psycopg.conninfo.make_conninfo(admin_dsn, dbname=name)


def _drop_database(admin_dsn: str, name: str) -> None:
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database(infra):
    """Make a fresh database for one service of this test run: database('identity') -> DSN.

    Names carry a run id, so test runs side by side (two developers, CI) never share a database.
    """
    run = uuid.uuid4().hex[:8]
    made: dict[str, str] = {}

    def make(service: str) -> str:
        if service not in made:
            made[service] = _create_database(infra.pg_admin_dsn, f"test_{run}_{service}")
        return made[service]

    yield make
    # Side by side: a database whose last connections are still closing holds its DROP ... WITH (FORCE) for
    # up to 5 s, and a whole run's dozens of them, one after the other, held the suite's end for 17 s.
    with ThreadPoolExecutor(max_workers=8) as dropping:
        list(dropping.map(lambda service: _drop_database(infra.pg_admin_dsn, f"test_{run}_{service}"), made))


@pytest.fixture
def tenant():
    """A tenant of its own for each test: tests share databases and topics, never data."""
    return f"t-{uuid.uuid4().hex[:12]}"


def eventually(check, timeout: float = 30.0, interval: float = 0.1):
    """Retry `check` until it stops raising AssertionError; for asynchronous projections, not speed."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(interval)


class Loops:
    """Background loops (relays, consumers) run as threads for the length of a test session."""

    def __init__(self):
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []
        self.runners: list[ConsumerRunner] = []

    def start(self, name: str, loop) -> None:
        """Run the loop as a service's worker does: restarted if an error escapes it."""
        thread = threading.Thread(target=guarded(name, loop, self.stop), name=name, daemon=True)
        thread.start()
        self.threads.append(thread)
        if isinstance(getattr(loop, "__self__", None), ConsumerRunner):
            self.runners.append(loop.__self__)

    def wait_until_consuming(self, timeout: float = 120.0) -> None:
        """Block until every consumer loop has joined its group and holds partitions.

        A test that writes first and then waits for a projection would otherwise spend its own
        timeout on the first join of a dozen consumer groups.
        """
        deadline = time.monotonic() + timeout
        for runner in self.runners:
            if not runner.assigned.wait(max(deadline - time.monotonic(), 0)):
                raise RuntimeError(f"consumer {runner.group} holds no partitions after {timeout:.0f} s")

    def close(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=20)


@pytest.fixture(scope="session")
def loops():
    running = Loops()
    yield running
    running.close()
