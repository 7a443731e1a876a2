"""What a three-broker cluster changes: topics created with the replicas it asks for, and a worker's
metrics saying whether its relay is the one holding the service's relay lock."""
from __future__ import annotations

from contextlib import contextmanager

import contracts
from eventkit import admin
from eventkit.kafka import replicated
from eventkit.metrics import RelayLeadership


def test_topics_on_a_cluster_require_two_in_sync_replicas_and_keep_their_own_settings():
    topics = replicated(contracts.TOPICS, "p.", min_insync_replicas=2)
    assert [t.name for t in topics] == ["p." + t.name for t in contracts.TOPICS]
    assert all(t.config["min.insync.replicas"] == "2" for t in topics)
    assert topics[0].config["retention.ms"] == "-1"


def test_topics_on_one_broker_take_the_broker_default_of_in_sync_replicas():
    assert all("min.insync.replicas" not in t.config for t in replicated(contracts.TOPICS))


def test_ensure_topics_takes_the_replication_from_the_environment(monkeypatch):
    asked = {}
    monkeypatch.setenv("PORTICO_TOPIC_REPLICATION_FACTOR", "3")
    monkeypatch.setenv("PORTICO_TOPIC_MIN_INSYNC_REPLICAS", "2")
    monkeypatch.setattr(admin, "ensure_topics", lambda *args: asked.setdefault("args", args) and [])
    admin.main(["ensure-topics", "--bootstrap", "b:1"])
    assert asked["args"][3:] == (3, 2)


class _Pool:
    def __init__(self, holders):
        self.holders = holders

    @contextmanager
    def connection(self, timeout=None):
        holders = self.holders

        class Conn:
            def execute(self, sql, params):
                return [{"application_name": h} for h in holders]
        yield Conn()


def _value(collector) -> float:
    [family] = list(collector.collect())
    [sample] = family.samples
    return sample.value


def test_the_relay_leader_metric_is_one_only_in_the_process_holding_the_lock():
    assert _value(RelayLeadership(_Pool(["identity-worker-2"]), "identity", 1, "identity-worker-2")) == 1
    assert _value(RelayLeadership(_Pool(["identity-worker-2"]), "identity", 1, "identity-worker")) == 0
    assert _value(RelayLeadership(_Pool([]), "identity", 1, "identity-worker")) == 0
