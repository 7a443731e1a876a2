"""The local three-node Kafka cluster as the cluster scenarios drive it: deploy/local/kafka-cluster.sh
starts, kills and restarts its nodes; the admin API says who leads what, who is in sync and which node
is the active controller, and moves a partition's leader."""
from __future__ import annotations

import subprocess
import time
from contextlib import contextmanager

from kafka import KafkaAdminClient, TopicPartition

from ...infra import ROOT

SCRIPT = ROOT / "deploy" / "local" / "kafka-cluster.sh"
NODES = (1, 2, 3)


def script(*args: str) -> str:
    """Run kafka-cluster.sh; its output, or an error with it."""
    done = subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"kafka-cluster.sh {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


class Cluster:
    def __init__(self):
        self.bootstrap = script("bootstrap").strip()

    @contextmanager
    def admin(self):
        admin = KafkaAdminClient(bootstrap_servers=self.bootstrap, client_id="cluster-scenarios",
                                 request_timeout_ms=10_000)
        try:
            yield admin
        finally:
            admin.close()

    def kill(self, node: int) -> None:
        script("kill", str(node))

    def start_node(self, node: int) -> None:
        script("start-node", str(node))

    def stop_node(self, node: int) -> None:
        script("stop-node", str(node))

    def partitions(self, topics: list[str], admin: KafkaAdminClient | None = None) -> dict[tuple[str, int], dict]:
        if admin is None:
            with self.admin() as admin:
                return self.partitions(topics, admin)
        return {(t["name"], p["partition_index"]): p for t in admin.describe_topics(topics) for p in t["partitions"]}

    def most_leading(self, topics: list[str]) -> int:
        """The node that leads most of the topics' partitions."""
        leaders = [p["leader_id"] for p in self.partitions(topics).values()]
        return max(NODES, key=leaders.count)

    def controller(self) -> int:
        """The active controller: the leader of the KRaft quorum."""
        with self.admin() as admin:
            quorum = admin.describe_metadata_quorum()
        return quorum["topics"][0]["partitions"][0]["leader_id"]

    def wait_led_without(self, topics: list[str], node: int, timeout: float = 120) -> float:
        """Seconds until every partition has a leader other than `node` (after `node` was lost)."""
        return self._wait(lambda ps: all(p["leader_id"] not in (node, -1) for p in ps.values()), topics, timeout,
                          f"partitions still led by node {node} or leaderless")

    def wait_in_sync(self, topics: list[str], timeout: float = 180) -> float:
        """Seconds until every partition's replicas are all in sync again (a restarted node caught up)."""
        return self._wait(lambda ps: all(len(p["isr_nodes"]) == len(p["replica_nodes"]) for p in ps.values()),
                          topics, timeout, "partitions with replicas out of sync")

    def _wait(self, done, topics, timeout, what) -> float:
        """Seconds until done(partitions); one admin client asks throughout (a new one per question would
        bootstrap again each time, from nodes coming and going), another after a failed question."""
        started, admin, seen = time.monotonic(), None, None
        try:
            while True:
                try:
                    admin = admin or KafkaAdminClient(bootstrap_servers=self.bootstrap, client_id="cluster-scenarios",
                                                      request_timeout_ms=10_000)
                    seen = self.partitions(topics, admin)
                    if done(seen):
                        return time.monotonic() - started
                except Exception:  # metadata from a node going away; ask again, afresh
                    if admin is not None:
                        admin.close()
                    admin = None
                if time.monotonic() - started > timeout:
                    raise AssertionError(f"{what} after {timeout:.0f} s: {seen}")
                time.sleep(0.25)
        finally:
            if admin is not None:
                admin.close()

    def move_leader(self, topic: str, partition: int) -> tuple[int, int, float]:
        """Make another in-sync replica the partition's leader (reorder its replicas, elect the preferred
        one); (old leader, new leader, seconds until the new one leads)."""
        state = self.partitions([topic])[(topic, partition)]
        old = state["leader_id"]
        new = next(n for n in state["isr_nodes"] if n != old)
        order = [new] + [n for n in state["replica_nodes"] if n != new]
        started = time.monotonic()
        with self.admin() as admin:
            admin.alter_partition_reassignments({TopicPartition(topic, partition): order})
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                admin.elect_leaders(0, {topic: [partition]}, raise_errors=False)
                if self.partitions([topic])[(topic, partition)]["leader_id"] == new:
                    return old, new, time.monotonic() - started
                time.sleep(0.25)
        raise AssertionError(f"{topic}[{partition}] still led by {old}, not {new}, after 60 s")
