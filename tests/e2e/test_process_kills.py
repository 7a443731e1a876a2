"""The fault suite's process kills: identity's and invitations' worker processes (relay and consumers)
SIGKILLed at random points of a steady stream of account lifecycles and started again; then every
acknowledged command is in the store, on Kafka and in each projection exactly once, and the deployed
notifications service mailed each registration and approval exactly once, however often the killed
relays published again. Three kills in `make test`, ten with PORTICO_FULL_FAULTS=1."""
from __future__ import annotations

import os
import random
import signal
import time

from ..lifecycle_stream import Stream, audit, http_call, settled

KILLS = 10 if os.environ.get("PORTICO_FULL_FAULTS") == "1" else 3


def test_workers_sigkilled_at_random_points_lose_and_duplicate_nothing(
        stack, infra, database, topic_prefix, tenant, http_staff_headers):
    stream = Stream(http_call(stack.url("identity")), tenant, http_staff_headers(tenant))
    chance = random.Random(os.environ.get("PORTICO_FAULT_SEED"))
    thread = stream.start()
    killed = []
    try:
        for n in range(KILLS):
            time.sleep(chance.uniform(0.5, 3.0))
            service = chance.choice(("identity", "invitations"))
            _kill_and_restart_worker(stack, service, n)
            killed.append(service)
        time.sleep(2)
    finally:
        stream.stop.set()
        thread.join(timeout=120)

    dsns = {service: database(f"e2e_{service}") for service in ("identity", "invitations")}
    result = settled(lambda: audit(stream, dsns, infra.kafka_bootstrap, f"{topic_prefix}e2e.", maildir=infra.maildir),
                     timeout=180)
    print(result.report(f"{KILLS} worker kills: {killed}"))
    assert stream.customers, stream.statuses
    result.assert_clean()


def _kill_and_restart_worker(stack, service: str, n: int) -> None:
    """SIGKILL the service's running worker, then start a new one on the same operations port."""
    module = f"{service}.entrypoints.worker"
    [worker] = [p for p in stack.processes if p.args[-1] == module and p.poll() is None]
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    stack.processes.remove(worker)
    port = stack.worker_urls[service].rsplit(":", 1)[1]
    stack._spawn(f"{service}-worker-after-kill-{n}", {**stack.envs[service], "PORTICO_METRICS_PORT": port},
                 list(worker.args))
