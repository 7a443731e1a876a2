"""Helpers for the ops tool's tests: its environment for this run, and running its commands."""
from __future__ import annotations

import io
import json
import threading

from eventkit.projection import Projection, Statement
from ops.cli import main

from ..fixtures.settings import KEYS, PERSONAL_DATA_TOKENS


def ops_env(infra, database, topic_prefix, identity_url: str) -> dict:
    """The environment an operator gives the tool, people's keys included as keys.sh export names them, and
    identity's URL (its key release opens people's values for the other services' rebuilds)."""
    return {"PORTICO_KAFKA_BOOTSTRAP": infra.kafka_bootstrap, "PORTICO_TOPIC_PREFIX": topic_prefix,
            "PORTICO_IDENTITY_URL": identity_url,
            "PORTICO_SERVICES": "identity invitations", "PORTICO_OPERATOR": "test-operator",
            "PORTICO_IDENTITY_DATABASE_URL": database("identity"),
            "PORTICO_INVITATIONS_DATABASE_URL": database("invitations"), "PORTICO_SUBJECT_KEK": KEYS["SUBJECT_KEK"],
            "PORTICO_PERSONAL_DATA_TOKEN_INVITATIONS": PERSONAL_DATA_TOKENS["invitations"]}


def run(env, *argv) -> str:
    out = io.StringIO()
    assert main(list(argv), env=env, out=out) == 0
    return out.getvalue()


def run_json(env, *argv):
    return json.loads(run(env, "--json", *argv))


def outbox_empty(service):
    with service.pool.connection() as conn:
        assert conn.execute("SELECT count(*) AS n FROM outbox").fetchone()["n"] == 0


class Running:
    """A consumer runner in a thread, stopped on demand (as a worker that was shut down)."""

    def __init__(self, runner):
        self.runner, self.stop = runner, threading.Event()
        self.thread = threading.Thread(target=runner.run, args=(self.stop,), daemon=True)
        self.thread.start()

    def halt(self):
        self.stop.set()
        self.thread.join(timeout=60)
        assert not self.thread.is_alive(), "the consumer runner did not stop within 60 s"


RECORDED = Statement("INSERT INTO {table} (event_id, tenant_id) SELECT event_id, tenant_id FROM {rows}",
                     columns={"event_id": "uuid", "tenant_id": "text"}, key=("event_id",))


def recording_projection(name: str, topics, table: str, broken: set | None = None) -> Projection:
    """Records each customer it sees in `table` (a plain INSERT: applied twice shows as two rows);
    fails on the events of the tenants in `broken`, as a projection with a bug would."""
    def record(event):
        if broken and event.tenant_id in broken:
            raise RuntimeError("bug in the projection")
        return [RECORDED.row(event_id=event.id, tenant_id=event.tenant_id)]

    return Projection(name=name, topics=topics, reducers={"portico.identity.customer.created": record}, table=table,
                      schema="CREATE TABLE IF NOT EXISTS {table} (event_id uuid NOT NULL, tenant_id text NOT NULL)")
