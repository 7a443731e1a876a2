"""The cluster tier: the deployed services, two worker processes each, on a three-node Kafka cluster of
their own (deploy/local/kafka-cluster.sh, ports 29092-29094), beside the shared single broker, which
these tests never touch. PostgreSQL and the mail sink are the shared ones, with this run's databases."""
from __future__ import annotations

import time
import uuid
from dataclasses import replace

import pytest

import contracts
from eventkit.kafka import ensure_topics
from ops.settings import Settings

from ..conftest import SERVICES, Stack, launch, staff_login
from .brokers import Cluster, script


@pytest.fixture(scope="session")
def kafka_cluster():
    """The three nodes, started fresh for the session and gone after it: a cluster a killed run left
    behind is killed and its data deleted first (kafka-cluster.sh reset says so in its output)."""
    print(script("reset"), end="")
    started = time.monotonic()
    print(script("start"), end="")
    print(f"[cluster] three nodes answering after {time.monotonic() - started:.1f} s")
    try:
        yield Cluster()
    finally:
        script("reset")  # its data is deleted: no clean shutdown to wait for


@pytest.fixture(scope="session")
def cluster_stack(infra, database, kafka_cluster, tmp_path_factory):
    """SERVICES with two worker processes each on the cluster, topics with 3 replicas and
    min.insync.replicas=2; `cluster_stack.prefix` names them, `cluster_stack.ops` is ops' settings."""
    prefix = f"cluster-{uuid.uuid4().hex[:8]}."
    ensure_topics(kafka_cluster.bootstrap, contracts.TOPICS, prefix, replication_factor=3, min_insync_replicas=2)
    running = Stack(tmp_path_factory.mktemp("cluster-logs"), workers=2)
    running.prefix = prefix
    running.audited = []  # the scenarios driven and audited so far; the rebuild comparison runs after them
    running.ops = Settings(kafka_cluster.bootstrap, prefix, {s: database(f"cluster_{s}") for s in SERVICES})
    try:
        started = time.monotonic()
        launch(running, infra, lambda service: database(f"cluster_{service}"), kafka_cluster.bootstrap, prefix)
        running.ops = replace(running.ops, subject_kek=running.envs["identity"]["PORTICO_SUBJECT_KEK"],
                              identity_url=running.url("identity"),  # people's keys, as the services have them
                              personal_data_tokens={s: running.envs[s]["PORTICO_PERSONAL_DATA_TOKEN"]
                                                    for s in SERVICES if s != "identity"})
        print(f"[cluster] services with two workers each ready after {time.monotonic() - started:.1f} s")
        yield running
    finally:
        running.kill()


@pytest.fixture
def cluster_staff_headers(cluster_stack):
    return staff_login(cluster_stack)
