"""The counts the documents projection keeps for the list's total, against the real database: after any
sequence of publications, updates that move a document between groups (account, status, who placed it),
stale redeliveries and withdrawals, applied in sets or one by one, each group's count is exactly the
number of its rows, a list's total is exactly the number of documents its reader may see, and the page
statement, which trusts the counts to skip the visibility clause when nothing in the account fails it,
admits exactly those documents before decide() is asked."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from documents.adapters.projections.documents import PROJECTION
from documents.domain.visibility import Reader, scope
from documents.service_layer.document_queries import DocumentFilter, list_documents, narrowing, statements
from eventkit.envelope import StoredEvent
from eventkit.set_apply import apply_events
from tests.documents_samples import content

ACCOUNTS, PLACERS = ("1200-A", "1200-B"), (str(uuid.uuid4()), str(uuid.uuid4()), None)
GROUPS = "tenant_id, receivable_account, kind, status, placed_by"
change = st.one_of(
    st.tuples(st.just("quote"), st.sampled_from(ACCOUNTS), st.sampled_from(("draft", "pending", "accepted"))),
    st.tuples(st.just("order"), st.sampled_from(ACCOUNTS), st.sampled_from(PLACERS)),
    st.tuples(st.just("withdrawn"), st.none(), st.none()))


def _event(tenant: str, doc: int, version: int, kind: str, what: tuple) -> StoredEvent:
    name, account, detail = what
    data = {"document_id": str(uuid.UUID(int=doc + 1))}
    if name == "withdrawn":
        type_ = f"portico.documents.{kind}.withdrawn"
    else:
        fields = {"status": detail} if kind == "quote" else {"placed_by_user_id": detail}
        data.update(number=f"{kind[:2].upper()}-{doc}", document=content(kind, account, **fields))
        type_ = f"portico.documents.{kind}.{'published' if version == 1 else 'updated'}"
    return StoredEvent(version, f"{kind}-{doc}", kind, version, uuid.uuid4(), type_, 1, tenant,
                       datetime.now(timezone.utc), "erp:test", uuid.uuid4(), None, None, data)


def _history(tenant: str, changes: list[tuple[int, tuple]]) -> list[StoredEvent]:
    """Each document's changes in order (its kind fixed by its first); a withdrawn one may come back."""
    kinds, versions, events = {}, {}, []
    for doc, what in changes:
        kind = kinds.setdefault(doc, what[0] if what[0] != "withdrawn" else "quote")
        if what[0] not in ("withdrawn", kind):
            what = (kind, what[1], None if kind == "order" else "pending")
        if what[0] == "withdrawn" and doc not in versions:
            continue
        versions[doc] = versions.get(doc, 0) + 1
        events.append(_event(tenant, doc, versions[doc], kind, what))
    return events


def _counts(conn, table: str, tenant: str) -> dict:
    kept = conn.execute(f"SELECT {GROUPS}, n FROM {table}_counts WHERE tenant_id = %s AND n <> 0", (tenant,))
    counted = conn.execute(f"SELECT {GROUPS}, count(*) AS n FROM {table} WHERE tenant_id = %s GROUP BY {GROUPS}",
                           (tenant,))
    key = lambda r: (r["receivable_account"], r["kind"], r["status"], str(r["placed_by"]))  # noqa: E731
    return {key(r): r["n"] for r in kept}, {key(r): r["n"] for r in counted}


def _paged_by_sql(conn, table: str, reader: Reader, f: DocumentFilter) -> list[str]:
    """What the list's page statement alone returns, without the decide() the list applies after it."""
    clause, params = narrowing(scope(reader), f)
    _, page = statements(table, clause, counted=True)
    return [r["number"] for r in conn.execute(page, {**params, "limit": 100, "offset": 0})]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 5), change), min_size=1, max_size=24), st.integers(1, 8),
       st.booleans())
def test_each_groups_count_is_exactly_its_rows_after_any_changes(documents_app, changes, batch, replayed):
    tenant = f"counts-{uuid.uuid4().hex[:8]}"
    events = _history(tenant, changes)
    if replayed:  # a redelivered older version changes nothing, its count neither
        events += events[: len(events) // 2]
    with documents_app.extensions["documents"].pool.connection() as conn:
        for first in range(0, len(events), batch):
            apply_events(conn, PROJECTION, events[first:first + batch])
        kept, counted = _counts(conn, PROJECTION.table, tenant)
        assert kept == counted
        for account in ACCOUNTS:
            for own, areas in ((False, {"quotes", "orders"}), (True, {"quotes", "orders"}), (False, {"orders"})):
                placer = PLACERS[0]
                reader = Reader(tenant, placer, "portal", "management", account, frozenset(areas),
                                own_orders_only=own)
                for f in (DocumentFilter(), DocumentFilter(("quote",), "pending")):
                    listed = list_documents(conn, reader, f, 1, 100)
                    assert listed["total"] == len(listed["items"])
                    assert _paged_by_sql(conn, PROJECTION.table, reader, f) == [i["number"] for i in listed["items"]]
        conn.rollback()


def test_documents_stored_before_the_counts_existed_are_counted_once_by_the_migration(documents_app):
    tenant, table = f"counts-{uuid.uuid4().hex[:8]}", f"documents_counts_{uuid.uuid4().hex[:8]}"
    events = _history(tenant, [(n, ("quote", ACCOUNTS[n % 2], "pending")) for n in range(5)]
                      + [(n, ("order", ACCOUNTS[0], PLACERS[n % 3])) for n in range(5, 9)])
    with documents_app.extensions["documents"].pool.connection() as conn:
        conn.execute(PROJECTION.ddl(table))
        conn.execute(f"DROP TABLE {table}_counts")  # the table as it was before it kept counts
        for name in ("inserts", "updates", "deletes"):
            conn.execute(f"DROP TRIGGER {table}_counted_{name} ON {table}")
        apply_events(conn, PROJECTION.on_table(table), events)
        conn.execute(PROJECTION.ddl(table))  # the migration of the version that keeps counts
        kept, counted = _counts(conn, table, tenant)
        assert kept == counted and sum(kept.values()) == 9
        conn.execute(PROJECTION.ddl(table))  # applied again, it counts nothing twice
        apply_events(conn, PROJECTION.on_table(table), _history(tenant, [(9, ("quote", ACCOUNTS[0], "pending"))]))
        kept, counted = _counts(conn, table, tenant)
        assert kept == counted and sum(kept.values()) == 10
        conn.rollback()
