"""Staff's question after an incident or a dispute: what could this user see at that instant, and why?

The answer comes from history, not today's state: the user's version and each document's version
valid at the instant (adapters/projections/user_versions.py, document_versions.py), judged by the same
rules as every request (domain/visibility.py). It lists the documents of the receivable account the
user held then, visible or not, each with the rule that decided.
"""
from __future__ import annotations

from datetime import datetime

from eventkit.projection_tables import active_table

from ..adapters.projections import document_versions, user_versions
from ..domain.documents import AREA_OF_KIND
from ..domain.visibility import READER_RULES, UNKNOWN_READER, Facts, Reader, decide, explain
from .readers import reader_from_row


def reader_at(conn, tenant_id: str, user_id: str, at: datetime) -> Reader | None:
    """The user as the documents service knew it at the instant; None before its first event."""
    row = conn.execute(f"SELECT * FROM {active_table(conn, user_versions.PROJECTION)}"
                       " WHERE tenant_id = %s AND user_id = %s AND valid_from <= %s ORDER BY version DESC LIMIT 1",
                       (tenant_id, user_id, at)).fetchone()
    return reader_from_row(tenant_id, user_id, row) if row else None


def documents_at(conn, tenant_id: str, account: str, at: datetime) -> list[dict]:
    """The documents of the account at the instant, each as its version valid then (none once withdrawn)."""
    rows = conn.execute(
        f"SELECT * FROM (SELECT DISTINCT ON (document_id) * FROM {active_table(conn, document_versions.PROJECTION)}"
        " WHERE tenant_id = %s AND valid_from <= %s AND document_id IN (SELECT document_id FROM"
        f" {active_table(conn, document_versions.PROJECTION)} WHERE tenant_id = %s AND receivable_account = %s)"
        " ORDER BY document_id, version DESC) AS v WHERE NOT withdrawn AND receivable_account = %s"
        " ORDER BY issued_on DESC, number DESC, kind", (tenant_id, at, tenant_id, account, account)).fetchall()
    return rows


def status_of(reader: Reader) -> str:
    return ("deleted" if reader.deleted else "pending" if not reader.approved
            else "disabled" if reader.disabled else "active")


def user_facts(reader: Reader) -> dict:
    return {"user_id": reader.user_id, "username": reader.username, "user_type": reader.user_type,
            "kind": reader.kind, "receivable_account": reader.receivable_account, "areas": sorted(reader.areas),
            "own_orders_only": reader.own_orders_only, "status": status_of(reader)}


def judged(reader: Reader, row: dict) -> dict:
    facts = Facts(reader.tenant_id, row["kind"], row["receivable_account"], row["status"],
                  str(row["placed_by"]) if row["placed_by"] else None)
    decision = decide(reader, facts)
    return {"kind": row["kind"], "number": row["number"], "status": row["status"],
            "receivable_account": row["receivable_account"], "as_of": row["valid_from"].isoformat(),
            "visible": decision.visible, "rule": decision.rule, "explanation": explain(reader, facts, decision),
            "redactions": list(decision.redactions)}


def visibility_at(conn, tenant_id: str, user_id: str, at: datetime) -> dict:
    """Per area, the user's account's documents at the instant, each with whether the user could open it."""
    reader = reader_at(conn, tenant_id, user_id, at)
    answer = {"at": at.isoformat(), "user": None, "rule": UNKNOWN_READER,
              "explanation": "The documents service knew no such user at that instant.",
              "areas": {area: [] for area in sorted(set(AREA_OF_KIND.values()))}}
    if reader is None:
        return answer
    refusing = next((rule for rule in READER_RULES if rule.refuses(reader, None)), None)
    answer.update(user=user_facts(reader), rule=refusing.code if refusing else None,
                  explanation=refusing.why(reader, None) if refusing else None)
    if reader.receivable_account is None:
        return answer
    for row in documents_at(conn, tenant_id, reader.receivable_account, at):
        answer["areas"][AREA_OF_KIND[row["kind"]]].append(judged(reader, row))
    return answer
