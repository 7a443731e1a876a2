"""Staff's question: why can this user see this document, or not? The answer names the rule."""
from __future__ import annotations

from ..domain.errors import DocumentNotFound
from ..domain.visibility import decide, explain
from .document_queries import facts, find
from .readers import load_reader


def why(conn, tenant_id: str, user_id: str, kind: str, number: str) -> dict:
    """The decision for one user and one document, with the facts it rests on."""
    row = find(conn, tenant_id, kind, number)
    if row is None:
        raise DocumentNotFound(kind, number)
    reader = load_reader(conn, tenant_id, user_id)
    document = facts(tenant_id, row)
    decision = decide(reader, document)
    user = None if reader is None else {
        "user_id": reader.user_id, "username": reader.username, "user_type": reader.user_type,
        "kind": reader.kind, "receivable_account": reader.receivable_account, "areas": sorted(reader.areas),
        "own_orders_only": reader.own_orders_only,
        "status": "deleted" if reader.deleted else "pending" if not reader.approved
        else "disabled" if reader.disabled else "active"}
    return {"visible": decision.visible, "rule": decision.rule, "explanation": explain(reader, document, decision),
            "redactions": list(decision.redactions), "user": user,
            "document": {"kind": kind, "number": number, "receivable_account": document.receivable_account,
                         "status": document.status, "placed_by": document.placed_by}}
