"""Reading documents for a portal user: list (searched, filtered, paged), one, and staff's "why".

The list query filters with visibility.scope() translated to SQL here, and then still asks decide()
of every row it returns: a row the SQL let through that decide() refuses is dropped and logged, so a
mistake in the translation hides a document rather than leaking it.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from eventkit.projection_tables import active_table

from ..adapters.projections.documents import PROJECTION
from ..domain.errors import DocumentNotFound
from ..domain.visibility import Decision, Facts, Reader, Scope, decide, redact, scope

log = logging.getLogger(__name__)
DETAIL = ("lines", "entries", "packing_slips", "notes")  # left out of list items; the single read has them
_COLUMNS = "kind, number, receivable_account, status, placed_by"
_SELECTED = f"{_COLUMNS}, content"
# A list item's columns: the detail is taken out by PostgreSQL, so it is neither sent nor parsed (a page of
# fifty invoices with their lines cost the web more to parse than anything else it did).
_LISTED = f"{_COLUMNS}, content - '{{{','.join(DETAIL)}}}'::text[] AS content"


@dataclass(frozen=True)
class DocumentFilter:
    kinds: tuple[str, ...] = ()
    status: str | None = None
    search: str | None = None


ACCOUNT = "tenant_id = %(tenant_id)s AND receivable_account = %(account)s"  # the page index's leading columns


def narrowing(visible: Scope, f: DocumentFilter) -> tuple[str, dict]:
    """visibility.scope() as SQL, narrowed by the reader's own filter: the clause within the reader's account
    (ACCOUNT), on the columns the counts are grouped by unless the reader searches."""
    clauses = ["kind = ANY(%(kinds)s)", "(kind <> 'quote' OR status = ANY(%(released)s))"]
    kinds = [k for k in visible.kinds if not f.kinds or k in f.kinds]
    params = {"tenant_id": visible.tenant_id, "account": visible.receivable_account, "kinds": kinds,
              "released": list(visible.released_quote_statuses)}
    if visible.orders_placed_by is not None:
        clauses.append("(kind <> 'order' OR placed_by = %(placed_by)s::uuid)")
        params["placed_by"] = visible.orders_placed_by
    if f.status:
        clauses.append("status = %(status)s")
        params["status"] = f.status
    if f.search:
        clauses.append("search_text LIKE %(search)s")
        params["search"] = "%" + f.search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return " AND ".join(clauses), params


def statements(table: str, narrowed: str, counted: bool) -> tuple[str, str]:
    """The count and the page of the reader's account, `narrowed` by narrowing()'s clause.

    Counted (a clause on the columns the counts are grouped by, i.e. without a search): the total sums the
    projection's counts of the groups the clause lets through, and the page tests the clause only when some
    group of the account fails it. Most readers may see everything their account holds; for them the
    clause, tested on every index entry a deep page skips, was a third of the page's cost (an uncorrelated
    NOT EXISTS is evaluated once, and OR stops at its first true argument). The counts commit with the rows
    they count (statement triggers: a load that skips triggers must rebuild the projection), and decide()
    still judges every row listed, so a wrong count could shorten a page, never widen what is seen. Not
    counted (a search: search_text is not a counted column): count(*) and the clause on each row.
    The page picks its rows' ids from the index alone (skipping `offset` of them there), then reads only
    those rows: deep pages neither sort nor read whole documents."""
    order = "ORDER BY issued_on DESC, number DESC, kind"
    visible = f"{ACCOUNT} AND {narrowed}"
    if counted:
        count = f"SELECT coalesce(sum(n), 0)::bigint AS n FROM {table}_counts WHERE {visible}"
        everything = f"NOT EXISTS (SELECT FROM {table}_counts WHERE {ACCOUNT} AND n > 0 AND ({narrowed}) IS NOT TRUE)"
        listed = f"{ACCOUNT} AND ({everything} OR ({narrowed}))"
    else:
        count, listed = f"SELECT count(*) AS n FROM {table} WHERE {visible}", visible
    return (count,
            f"WITH page AS (SELECT document_id FROM {table} WHERE {listed} {order}"
            f" LIMIT %(limit)s OFFSET %(offset)s) SELECT {_LISTED} FROM {table} JOIN page USING (document_id)"
            f" WHERE tenant_id = %(tenant_id)s {order}")


def facts(tenant_id: str, row: dict) -> Facts:
    placed_by = row["placed_by"]
    return Facts(tenant_id, row["kind"], row["receivable_account"], row["status"],
                 str(placed_by) if placed_by else None)


def view(row: dict, decision: Decision) -> dict:
    return {"kind": row["kind"], "number": row["number"], **redact(row["content"], decision.redactions),
            "redacted": list(decision.redactions)}


def list_documents(conn, reader: Reader | None, f: DocumentFilter, page: int, page_size: int,
                   table: str | None = None) -> dict:
    """One page of the documents the reader may see, newest first, and how many there are in all (from the
    documents table given, or the serving one)."""
    visible = scope(reader)
    if visible is None:
        return {"items": [], "page": page, "page_size": page_size, "total": 0}
    clause, params = narrowing(visible, f)
    count, page_of = statements(table or active_table(conn, PROJECTION), clause, counted=not f.search)
    with conn.pipeline():  # the count and the page in one round trip
        counted = conn.execute(count, params)
        paged = conn.execute(page_of, {**params, "limit": page_size, "offset": (page - 1) * page_size})
    total, rows = counted.fetchone()["n"], paged.fetchall()
    items = []
    for row in rows:
        decision = decide(reader, facts(reader.tenant_id, row))
        if not decision.visible:
            log.error("list query returned %s %s that rule %s refuses; dropped", row["kind"], row["number"],
                      decision.rule)
            continue
        items.append(view(row, decision))
    return {"items": items, "page": page, "page_size": page_size, "total": total}


def find(conn, tenant_id: str, kind: str, number: str, table: str | None = None) -> dict | None:
    return conn.execute(f"SELECT {_SELECTED} FROM {table or active_table(conn, PROJECTION)}"
                        " WHERE tenant_id = %s AND kind = %s AND number = %s", (tenant_id, kind, number)).fetchone()


def read_document(conn, tenant_id: str, reader: Reader | None, kind: str, number: str,
                  table: str | None = None) -> dict:
    """The document as the reader may see it; a refused one raises exactly what a missing one does."""
    row = find(conn, tenant_id, kind, number, table)
    decision = decide(reader, facts(tenant_id, row)) if row else None
    if decision is None or not decision.visible:
        raise DocumentNotFound(kind, number)
    return view(row, decision)
