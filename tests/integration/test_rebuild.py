"""A projection rebuilt from the beginning of its topics ends equal to the live one."""
from __future__ import annotations

import dataclasses
import threading

from eventkit import db
from eventkit.consumer import rebuild
from invitations.bootstrap import SCHEMA

from ..conftest import eventually

COLUMNS = "code, name, kind, customer_type, sales_rep, price_list, emails, usernames, archived"


def snapshot(pool, tenant):
    with pool.connection() as conn:
        return conn.execute(f"SELECT {COLUMNS} FROM candidates_v1 WHERE tenant_id = %s ORDER BY code",
                            (tenant,)).fetchall()


def run_until(runner, check):
    stop = threading.Event()
    thread = threading.Thread(target=runner.run, args=(stop,), daemon=True)
    thread.start()
    try:
        return eventually(check, timeout=60)
    finally:
        stop.set()
        thread.join(timeout=20)


def test_a_projection_replayed_from_the_start_of_its_topic_equals_the_live_one(
        identity, invitations_app, pipeline, database, tenant):
    for n in range(3):
        identity.post(f"/v1/tenants/{tenant}/customers",
                      json={"code": f"K{n}", "name": f"Kunde {n}", "receivable_account": f"R{n}"})
    identity.patch(f"/v1/tenants/{tenant}/customers/K1", json={"sales_rep": "rep-2"})
    identity.post(f"/v1/tenants/{tenant}/customers/K2/archive", json={})
    live_service = invitations_app.extensions["invitations"]

    def live_settled():
        rows = snapshot(live_service.pool, tenant)
        assert [(r["code"], r["sales_rep"], r["archived"]) for r in rows] == [
            ("K0", None, False), ("K1", "rep-2", False), ("K2", None, True)]
        return rows

    live = eventually(live_settled)

    # A second copy in a database of its own, under its own consumer group, while the live one serves.
    dsn = database("invitations_rebuild")
    db.migrate(dsn, SCHEMA)
    pool = db.create_pool(dsn)
    try:
        copy = dataclasses.replace(live_service.projections[0], name="invitations.candidates.rebuild-test")
        runner = live_service.consumer(copy, pool)

        def equal_to_live():
            assert snapshot(pool, tenant) == live

        run_until(runner, equal_to_live)
        rebuild(pool, copy)
        assert snapshot(pool, tenant) == []
        run_until(runner, equal_to_live)
    finally:
        pool.close()
