"""Property-based, against the real database: for random users, roles, flags and documents, the SQL the
list query filters with admits exactly the documents decide() lets the user see, and decide() agrees
with the rules as the issue states them. So no document is listed to anyone it should not be, and
none is lost; opening each document agrees too."""
from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.document_fields import INVOICE_STATUSES, QUOTE_STATUSES, SHIPMENT_STATUSES
from documents.adapters.projections.documents import PROJECTION, customer_status
from documents.domain.errors import DocumentNotFound
from documents.domain.visibility import Facts, decide, scope
from documents.service_layer.document_queries import ACCOUNT, DocumentFilter, list_documents, narrowing, read_document
from eventkit.envelope import StoredEvent
from eventkit.projection_tables import active_table
from eventkit.set_apply import apply_events
from tests.documents_samples import content
from tests.visibility_strategies import ACCOUNTS, TENANTS, USER_IDS, mostly, readers, should_see

STATUS = {"quote": {"status": st.sampled_from(QUOTE_STATUSES)},
          "order": {"customer_status": st.sampled_from(("Processing", "Shipped", None)),
                    "placed_by_user_id": st.sampled_from(USER_IDS + (None,))},
          "invoice": {"status": st.sampled_from(INVOICE_STATUSES)}, "ar_statement": {},
          "shipment": {"status": st.sampled_from(SHIPMENT_STATUSES)}}
documents = st.sampled_from(tuple(STATUS)).flatmap(lambda kind: st.tuples(
    st.just(kind), mostly(*TENANTS), mostly(*ACCOUNTS), st.fixed_dictionaries(STATUS[kind])))


def _publish(conn, tenant_id: str, kind: str, number: str, document: dict) -> None:
    event = StoredEvent(1, f"{kind}-x", kind, 1, uuid.uuid4(), f"portico.documents.{kind}.published", 1, tenant_id,
                        datetime.now(timezone.utc), "erp:test", uuid.uuid4(), None, None,
                        {"document_id": str(uuid.uuid4()), "number": number, "document": document})
    apply_events(conn, PROJECTION.on_table(active_table(conn, PROJECTION)), [event])


def _admitted_by_sql(conn, reader) -> set[str]:
    """What the SQL alone lets through, without the decide() the list query applies after it."""
    visible = scope(reader)
    if visible is None:
        return set()
    clause, params = narrowing(visible, DocumentFilter())
    rows = conn.execute(f"SELECT number FROM {active_table(conn, PROJECTION)} WHERE {ACCOUNT} AND {clause}",
                        params).fetchall()
    return {r["number"] for r in rows}


def _opens(conn, reader, fact: Facts, number: str) -> bool:
    try:
        read_document(conn, reader.tenant_id, reader, fact.kind, number)
        return True
    except DocumentNotFound:
        return False


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(documents, min_size=4, max_size=16), st.lists(readers, min_size=2, max_size=5))
def test_the_list_query_admits_exactly_what_decide_allows(documents_app, generated, users):
    run = uuid.uuid4().hex[:8]  # tenants of this example alone: the table is shared with other tests
    tenant_of = {t: f"{t}-{run}" for t in TENANTS}
    facts = {}
    with documents_app.extensions["documents"].pool.connection() as conn:
        for n, (kind, tenant, account, fields) in enumerate(generated):
            document = content(kind, account, **fields)
            _publish(conn, tenant_of[tenant], kind, f"D-{n}", document)
            facts[f"D-{n}"] = Facts(tenant_of[tenant], kind, account, customer_status(kind, document),
                                    fields.get("placed_by_user_id"))
        for user in users:
            reader = replace(user, tenant_id=tenant_of[user.tenant_id])
            expected = {n for n, f in facts.items() if decide(reader, f).visible}
            assert expected == {n for n, f in facts.items() if should_see(reader, f)}
            assert _admitted_by_sql(conn, reader) == expected
            listed = list_documents(conn, reader, DocumentFilter(), 1, 200)
            assert {i["number"] for i in listed["items"]} == expected and listed["total"] == len(expected)
            assert {n for n, f in facts.items() if _opens(conn, reader, f, n)} == expected
        conn.rollback()
