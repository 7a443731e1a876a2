"""`ops projections rebuild` fills a fresh table while the old one serves, then switches to it."""
from __future__ import annotations

import json

from eventkit.projection_tables import active_table

from ..conftest import eventually
from ..fixtures.identity import served
from .ops_fixtures import ops_env, run, run_json

COLUMNS = "customer_id, code, name, kind, customer_type, sales_rep, price_list, emails, usernames, archived"


def rows(service, table, tenant):
    with service.pool.connection() as conn:
        return conn.execute(f"SELECT {COLUMNS} FROM {table} WHERE tenant_id = %s ORDER BY code",
                            (tenant,)).fetchall()


def test_a_rebuild_from_the_command_line_ends_equal_to_the_live_projection(
        identity, identity_app, invitations_app, staff_headers, pipeline, infra, database, topic_prefix, tenant, capsys):
    env = ops_env(infra, database, topic_prefix, served(identity_app))
    for n in range(4):
        identity.post(f"/v1/tenants/{tenant}/customers", headers=staff_headers(tenant),
                      json={"code": f"R{n}", "name": f"Rebuilt {n}", "receivable_account": "1"})
    identity.patch(f"/v1/tenants/{tenant}/customers/R1", headers=staff_headers(tenant), json={"price_list": "B"})
    service = invitations_app.extensions["invitations"]
    projection = service.projections[0]
    with service.pool.connection() as conn:
        old = active_table(conn, projection)
    eventually(lambda: [r["price_list"] for r in rows(service, old, tenant) if r["code"] == "R1"] == ["B"] or _fail())
    live = rows(service, old, tenant)

    result = run_json(env, "projections", "rebuild", projection.name)

    assert result["table"] != old and result["events"] > 0 and result["events_per_second"] > 0
    assert rows(service, result["table"], tenant) == live and len(live) == 4
    assert "ev/s" in capsys.readouterr().err  # the progress bar
    listed = json.loads(run(env, "--json", "projections", "list"))
    assert {"service": "invitations", "projection": projection.name, "serving": result["table"],
            "topics": "portico.identity"} in listed


def _fail():
    raise AssertionError


def test_identitys_customer_list_is_rebuilt_alike(identity, identity_app, staff_headers, pipeline, infra, database,
                                                  topic_prefix, tenant):
    env = ops_env(infra, database, topic_prefix, served(identity_app))
    for n in range(2):
        identity.post(f"/v1/tenants/{tenant}/customers", headers=staff_headers(tenant),
                      json={"code": f"I{n}", "name": f"Identity {n}", "receivable_account": "1"})
    service = identity_app.extensions["identity"]
    [projection] = [p for p in service.projections if p.name == "identity.customers.v1"]

    def listed(table):
        with service.pool.connection() as conn:
            return conn.execute(f"SELECT * FROM {table} WHERE tenant_id = %s ORDER BY code", (tenant,)).fetchall()

    with service.pool.connection() as conn:
        old = active_table(conn, projection)
    eventually(lambda: [r["code"] for r in listed(old)] == ["I0", "I1"] or _fail())
    live = listed(old)

    result = run_json(env, "projections", "rebuild", projection.name)

    assert result["service"] == "identity" and listed(result["table"]) == live
