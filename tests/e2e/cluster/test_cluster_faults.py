"""The fault family on a three-node Kafka cluster with two worker processes per service: brokers killed
and restarted, worker replicas SIGKILLed, a rolling restart and a moved partition leader, each in the
middle of a steady stream of account lifecycles. Then the fault suite's audit (every acknowledged command
stored, on Kafka and in each projection exactly once, each e-mail once) and every projection equal to a
rebuild. `make test` runs the short form (one broker kill, one worker kill); PORTICO_FULL_FAULTS=1 the
whole family, with longer outages. Each prints what it drove, found and measured."""
from __future__ import annotations

import os
import signal
import time

import pytest
import requests

from .brokers import NODES
from .scenarios import Watch, drive_around, group_members, holders, rebuild_differences, settled_audit, topics, wait_for

FULL = os.environ.get("PORTICO_FULL_FAULTS") == "1"
DOWN = 30 if FULL else 8  # seconds a killed broker stays away


def _broker_lost(choose):
    """A broker fault: SIGKILL the node choose(cluster, stack) names, leave it down DOWN seconds, start
    it again and wait until every replica is back in sync."""
    def fault(cluster, stack, watch):
        node, names = choose(cluster, stack), topics(stack)
        killed_at = time.monotonic()
        cluster.kill(node)
        moved = cluster.wait_led_without(names, node)
        time.sleep(max(DOWN - (time.monotonic() - killed_at), 0))
        restarted_at = time.monotonic()
        cluster.start_node(node)
        cluster.wait_in_sync(names)
        return {"node": node, "leaders_moved_s": round(moved, 1), "down_s": round(restarted_at - killed_at, 1),
                "back_in_sync_s": round(time.monotonic() - restarted_at, 1),
                "max_lag_while_down": watch.max_lag(killed_at, restarted_at),
                "lag_samples_while_down": watch.taken(killed_at, restarted_at)}
    return fault


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


BROKER_FAULTS = {
    "broker leading most partitions killed": _broker_lost(lambda cluster, stack: cluster.most_leading(topics(stack))),
}
if FULL:  # the whole family; the short form above runs in `make test`
    BROKER_FAULTS.update({
        "active controller killed": _broker_lost(lambda cluster, stack: cluster.controller()),
        "rolling restart of the three brokers": _rolling_restart,
        "identity's partition leaders moved": _leaders_moved,
    })


@pytest.mark.fault
@pytest.mark.parametrize("scenario", list(BROKER_FAULTS))
def test_brokers_failing_mid_stream_lose_and_duplicate_nothing(
        scenario, kafka_cluster, cluster_stack, infra, tenant, cluster_staff_headers):
    with Watch(cluster_stack.ops) as watch:
        stream, measured = drive_around(cluster_stack, tenant, cluster_staff_headers(tenant),
                                        lambda: BROKER_FAULTS[scenario](kafka_cluster, cluster_stack, watch))
    _assert_clean_and_rebuilt(cluster_stack, stream, infra, f"{scenario} (down {DOWN} s)", measured, watch)


@pytest.mark.fault
def test_a_worker_replica_sigkilled_hands_its_partitions_and_the_relay_lock_to_the_other(
        kafka_cluster, cluster_stack, infra, tenant, cluster_staff_headers):
    stack = cluster_stack
    # The replicas that publish: identity's (the stream's events) and invitations' (a consumer too).
    victims = {service: holders(stack.ops)[service] for service in ("identity", "invitations")}
    assert all(name in stack.named for name in victims.values()), victims

    def fault():
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
        measured["leaders"] = holders(stack.ops)
        measured["leader_metric"] = _relay_leader_metrics(stack, [n for n in stack.replica_urls
                                                                  if n not in victims.values()])
        for name in victims.values():
            stack.respawn(name)
        return measured

    with Watch(stack.ops) as watch:
        stream, measured = drive_around(stack, tenant, cluster_staff_headers(tenant), fault)
    for service in victims:  # the survivor that holds the lock says so in its metrics
        assert measured["leader_metric"][measured["leaders"][service]] == 1, measured
    assert sum(measured["leader_metric"].values()) == len(measured["leaders"]), measured  # one leader a service
    _assert_clean_and_rebuilt(stack, stream, infra, "a worker replica of identity and of invitations SIGKILLed",
                              measured, watch)


def _relay_leader_metrics(stack, names: list[str]) -> dict[str, int]:
    """portico_relay_leader as each running worker process's operations port reports it."""
    values = {}
    for name in names:
        text = requests.get(f"{stack.replica_urls[name]}/metrics", timeout=10).text
        values[name] = next(int(float(line.rsplit(" ", 1)[1])) for line in text.splitlines()
                            if line.startswith("portico_relay_leader{"))
    return values


def _assert_clean_and_rebuilt(stack, stream, infra, scenario: str, measured: dict, watch):
    started = time.monotonic()
    result = settled_audit(stack, stream, infra)
    settled_at = time.monotonic()
    differences = rebuild_differences(stack.ops)
    figures = " ".join(f"{k}={v}" for k, v in measured.items() if k != "leader_metric")
    print(result.report(scenario), figures, f"max_lag={watch.max_lag()} lag_samples={watch.taken()}",
          f"settled_s={settled_at - started:.1f}",
          f"rebuilt_s={time.monotonic() - settled_at:.1f} rebuild_differences={len(differences)}")
    assert stream.customers, stream.statuses  # commands kept succeeding through the fault
    result.assert_clean()
    assert not differences, differences
    assert watch.samples, watch.failures[:3]  # ops lag answered during the scenario
