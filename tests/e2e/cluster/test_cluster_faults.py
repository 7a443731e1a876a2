"""The fault family on a three-node Kafka cluster with two worker processes per service: brokers killed
and restarted, worker replicas SIGKILLed, a rolling restart and a moved partition leader, each in the
middle of a steady stream of account lifecycles and each audited as the fault suite audits (every
acknowledged command stored, on Kafka and in each projection exactly once, each e-mail once). Once the
scenarios are done, every projection is compared with a rebuild of it: once for all of them, as a rebuild
replays every event of every scenario. `make test` runs the short form (one scenario: a broker killed and,
while it is away, a worker replica of identity and of invitations); PORTICO_FULL_FAULTS=1 the whole
family, with longer outages. Each prints what it drove, found and measured."""
from __future__ import annotations

import os
import signal
import time

import pytest
import requests

from .brokers import NODES
from .scenarios import Watch, drive_around, group_members, holders, rebuild_differences, settled_audit, topics, wait_for

FULL = os.environ.get("PORTICO_FULL_FAULTS") == "1"
DOWN = 30 if FULL else 8  # seconds a killed broker stays away at least


def _broker_lost(choose, meanwhile=None):
    """A broker fault: SIGKILL the node choose(cluster, stack) names; once its partitions are led by the
    others, run `meanwhile(stack)` (another fault, during the loss) and keep the node away DOWN seconds in
    all; start it again and wait until every replica is back in sync."""
    def fault(cluster, stack, watch):
        node, names = choose(cluster, stack), topics(stack)
        killed_at = time.monotonic()
        cluster.kill(node)
        measured = {"node": node, "leaders_moved_s": round(cluster.wait_led_without(names, node), 1)}
        measured.update(meanwhile(stack) if meanwhile else {})
        time.sleep(max(DOWN - (time.monotonic() - killed_at), 0))
        restarted_at = time.monotonic()
        cluster.start_node(node)
        measured["node_answers_s"] = round(time.monotonic() - restarted_at, 1)
        cluster.wait_in_sync(names)
        return {**measured, "down_s": round(restarted_at - killed_at, 1),
                "back_in_sync_s": round(time.monotonic() - restarted_at, 1),
                "max_lag_while_down": watch.max_lag(killed_at, restarted_at),
                "lag_samples_while_down": watch.taken(killed_at, restarted_at)}
    return fault


def _worker_replicas_killed(stack) -> dict:
    """SIGKILL the worker process whose relay holds the lock in identity (the stream's events) and in
    invitations (a consumer too); the other replica takes the lock and the partitions; both come back."""
    victims = {service: holders(stack.ops)[service] for service in ("identity", "invitations")}
    assert all(name in stack.named for name in victims.values()), victims
    killed_at = time.monotonic()
    for name in victims.values():
        stack.named[name].send_signal(signal.SIGKILL)
        stack.named[name].wait(timeout=10)
    measured = {}
    for service, name in victims.items():
        wait_for(lambda: holders(stack.ops)[service] not in (name, "none"), 60,
                 f"no other {service} replica took the relay lock from {name}")
        measured[f"{service}_relay_takeover_s"] = round(time.monotonic() - killed_at, 1)
    wait_for(lambda: all(n == 1 for n in group_members(stack.ops, "invitations").values()), 90,
             "invitations' consumer groups not down to the surviving replica")
    measured["partitions_takeover_s"] = round(time.monotonic() - killed_at, 1)
    leaders = holders(stack.ops)
    metric = _relay_leader_metrics(stack, [n for n in stack.replica_urls if n not in victims.values()])
    for name in victims.values():
        stack.respawn(name)
    for service in victims:  # the survivor that holds the lock says so in its metrics
        assert metric[leaders[service]] == 1, (leaders, metric)
    assert sum(metric.values()) == len(leaders), (leaders, metric)  # one leader a service
    return {**measured, "leaders": leaders}


def _rolling_restart(cluster, stack, watch):
    """As an upgrade does: one node at a time, the next once all replicas are in sync again."""
    took = {}
    for node in NODES:
        started = time.monotonic()
        cluster.stop_node(node)
        cluster.start_node(node)
        cluster.wait_in_sync(topics(stack))
        took[f"node{node}_restart_s"] = round(time.monotonic() - started, 1)
    return took


def _leaders_moved(cluster, stack, watch):
    """Each of identity's partitions led by another in-sync replica, one after the other."""
    topic, moves = f"{stack.prefix}portico.identity", []
    for partition in range(6):
        old, new, seconds = cluster.move_leader(topic, partition)
        moves.append(f"p{partition}:{old}->{new}:{seconds:.1f}s")
        time.sleep(0.5)
    return {"moves": " ".join(moves)}


def _most_leading(cluster, stack):
    return cluster.most_leading(topics(stack))


SCENARIOS = {  # the short form, in `make test`: one broker kill and one worker kill, on one stream
    # while the broker is away, the worker replica of identity and of invitations that holds the relay lock
    "broker leading most partitions and two worker replicas killed":
        _broker_lost(_most_leading, meanwhile=_worker_replicas_killed),
}
if FULL:  # the whole family
    SCENARIOS.update({
        "active controller killed": _broker_lost(lambda cluster, stack: cluster.controller()),
        "rolling restart of the three brokers": _rolling_restart,
        "identity's partition leaders moved": _leaders_moved,
    })


@pytest.mark.fault
@pytest.mark.parametrize("scenario", list(SCENARIOS), ids=list(SCENARIOS))
def test_faults_mid_stream_lose_and_duplicate_nothing(
        scenario, kafka_cluster, cluster_stack, infra, tenant, cluster_staff_headers):
    with Watch(cluster_stack.ops) as watch:
        stream, measured = drive_around(cluster_stack, tenant, cluster_staff_headers(tenant),
                                        lambda: SCENARIOS[scenario](kafka_cluster, cluster_stack, watch))
    started = time.monotonic()
    result = settled_audit(cluster_stack, stream, infra)
    figures = " ".join(f"{k}={v}" for k, v in measured.items())
    print(result.report(f"{scenario} (down {DOWN} s)"), figures,
          f"max_lag={watch.max_lag()} lag_samples={watch.taken()} settled_s={time.monotonic() - started:.1f}")
    assert stream.customers, stream.statuses  # commands kept succeeding through the fault
    result.assert_clean()
    assert watch.samples, watch.failures[:3]  # ops lag answered during the scenario
    cluster_stack.audited.append(scenario)


@pytest.mark.fault
def test_every_projection_equals_a_rebuild_once_the_faults_are_over(cluster_stack):
    assert cluster_stack.audited, "run with the fault scenarios before it (this whole file): nothing was driven"
    started = time.monotonic()
    differences, rows = rebuild_differences(cluster_stack.ops)
    print(f"[rebuilt after {len(cluster_stack.audited)} scenario(s)] rows={rows} rebuild_differences={len(differences)}"
          f" rebuilt_s={time.monotonic() - started:.1f}")
    assert rows, "the rebuilt projections hold nothing: the scenarios left no events to compare"
    assert not differences, differences


def _relay_leader_metrics(stack, names: list[str]) -> dict[str, int]:
    """portico_relay_leader as each running worker process's operations port reports it."""
    values = {}
    for name in names:
        text = requests.get(f"{stack.replica_urls[name]}/metrics", timeout=10).text
        values[name] = next(int(float(line.rsplit(" ", 1)[1])) for line in text.splitlines()
                            if line.startswith("portico_relay_leader{"))
    return values
